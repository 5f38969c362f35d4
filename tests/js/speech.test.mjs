// What the timer's voice says and when (static/js/timer/speech.js): `node --test tests/js/`.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import * as clock from "../../static/js/timer/clock.js";
import * as speech from "../../static/js/timer/speech.js";

// Steps shaped as backtp/journal/views.py: timer_plan() writes them.
const QL = {
  technique: "ql-tennis-ball-side-lying", name: "Tennis ball under the waist, lying on your side",
  muscle: "Quadratus lumborum",
  placement: "Lying on your side, propped on your forearm, a tennis ball under the side of the waist; roll slowly up and down",
  side: "both", passes: ["right", "left"], duration_seconds: 60, hold_seconds: null, repetitions: null, rest_seconds: 15,
};
const FISTS = {
  technique: "gmed-overlap-fists", name: "Both fists on the glute overlap point", muscle: "Gluteus medius",
  placement: "Standing, the knuckles of both fists on the top of the buttock, one on each side; hold steady pressure on the tender spot",
  side: "right", passes: ["right"], duration_seconds: null, hold_seconds: 30, repetitions: 2, rest_seconds: 20,
};
const tl = clock.timeline({ id: "p", steps: [QL, FISTS], move_seconds: 10 });
const index = (phase, from = 0) => tl.segments.findIndex((seg, i) => i >= from && seg.phase === phase);

// Every entry cue of a session run from the start to the end, in order.
function entries() {
  let introduced = -1;
  return tl.segments.map((_, i) => {
    const cue = speech.enterCue(tl, i, introduced);
    introduced = cue.introduced;
    return cue.text;
  });
}

describe("entering a segment", () => {
  test("a session from getting ready to the last hold", () => {
    assert.deepEqual(entries(), [
      "Get ready. Quadratus lumborum, lying on your right side, propped on your forearm, a tennis ball under the side of the waist.",
      "Press. Roll slowly up and down.",
      "Switch to your left side.",
      "Press. Roll slowly up and down.",
      "Rest. Next: Gluteus medius, right side. Standing, the knuckles of both fists on the top of the buttock, one on each side.",
      "Press and hold. Hold 1 of 2.",
      "Let go and breathe.",
      "Press and hold. Hold 2 of 2.",
    ]);
  });

  test("Skip or Back landing on a step not yet introduced says what it is first", () => {
    const first = index("work", index("rest"));
    assert.equal(
      speech.enterCue(tl, first, 0).text,
      "Gluteus medius, right side. Standing, the knuckles of both fists on the top of the buttock, one on each side. Press and hold. Hold 1 of 2.",
    );
    assert.equal(speech.enterCue(tl, first, 0).introduced, 1);
    assert.equal(speech.enterCue(tl, first, 1).text, "Press and hold. Hold 1 of 2.");
  });

  test("a step without a placement or a muscle still has its name and side", () => {
    const bare = clock.timeline({ id: "b", steps: [{ ...FISTS, muscle: "", placement: "", repetitions: 1 }] });
    assert.equal(speech.enterCue(bare, 0, -1).text, "Get ready. Both fists on the glute overlap point, right side.");
    assert.equal(speech.enterCue(bare, 1, 0).text, "Press and hold.");
    assert.deepEqual(speech.enterCue(bare, 9, 0), { text: "", introduced: 0 });
  });
});

describe("the time left", () => {
  test("a 60 s hold: half-way, 10 seconds left, then 3, 2, 1", () => {
    assert.deepEqual(speech.timeCues(tl, 1), [
      { left: 30, text: "Half-way. 30 seconds left." }, { left: 10, text: "10 seconds left." },
      { left: 3, text: "3" }, { left: 2, text: "2" }, { left: 1, text: "1" },
    ]);
  });

  test("a 30 s hold has no half-way; getting ready, switching and resting count down only", () => {
    const hold = index("work", index("rest"));
    assert.deepEqual(speech.timeCues(tl, hold).map((c) => c.text), ["10 seconds left.", "3", "2", "1"]);
    for (const phase of ["ready", "switch", "rest", "release"]) {
      assert.deepEqual(speech.timeCues(tl, index(phase)).map((c) => c.text), ["3", "2", "1"], phase);
    }
  });

  test("a cue is due when the clock turns to its second; a jump says only the latest", () => {
    const cues = speech.timeCues(tl, 1);
    assert.equal(speech.dueCue(cues, 30_250, 30_000), "Half-way. 30 seconds left.");
    assert.equal(speech.dueCue(cues, 30_000, 29_750), "");
    assert.equal(speech.dueCue(cues, 3_100, 2_900), "3");
    assert.equal(speech.dueCue(cues, 40_000, 1_500), "2");
    assert.equal(speech.dueCue(cues, 60_000, 59_750), "");
  });

  test("durations in words", () => {
    assert.deepEqual([0, 1, 45, 60, 90, 120].map(speech.durationWords), [
      "0 seconds", "1 second", "45 seconds", "1 minute", "1 minute 30 seconds", "2 minutes",
    ]);
  });
});

describe("settings kept on the device", () => {
  test("defaults, and anything odd falls back to them", () => {
    assert.deepEqual(speech.settings(null), { on: true, rate: 1, volume: 1 });
    assert.deepEqual(speech.settings({ on: false, rate: 1.3, volume: 0.5 }), { on: false, rate: 1.3, volume: 0.5 });
    assert.deepEqual(speech.settings({ on: "no", rate: 9, volume: -1 }), { on: true, rate: 1, volume: 1 });
    assert.deepEqual(speech.settings("junk"), speech.DEFAULT_SETTINGS);
  });
});
