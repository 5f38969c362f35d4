// The session timer's clock (static/js/timer/clock.js): run with `node --test tests/js/`.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import * as clock from "../../static/js/timer/clock.js";

// Steps shaped as backtp/journal/views.py: timer_plan() writes them.
function step(overrides) {
  return {
    technique: "a-technique",
    name: "A technique",
    url: "/techniques/a-technique/",
    tool: "Tennis ball",
    position: "Lying on your side",
    dose: "1 minute per side",
    side: "right",
    passes: ["right"],
    duration_seconds: null,
    hold_seconds: null,
    repetitions: null,
    rest_seconds: 0,
    instructions: ["Lie down.", "Press."],
    ...overrides,
  };
}
const TIMED_BOTH = step({
  technique: "ql-tennis-ball-side-lying", name: "Quadratus lumborum on a ball",
  side: "both", passes: ["right", "left"], duration_seconds: 60, rest_seconds: 15,
});
const COUNTED = step({
  technique: "gmed-overlap-fists", name: "Gluteus medius with fists", tool: "Fists",
  hold_seconds: 30, repetitions: 3, rest_seconds: 20,
});
// A plan with 5 seconds to move (to get ready, to switch sides, between steps).
const MOVE = 5;
const plan = (...steps) => ({ id: "abc123", routine: null, steps, log_url: "/session/log/", move_seconds: MOVE });

const T0 = Date.UTC(2026, 0, 5, 8, 0, 0);
const S = 1000;
const STARTED = T0 - MOVE * S; // started then, so the first hold begins at T0 after "get ready"

// A session started with pain 6 whose first hold begins at T0.
function started(p) {
  const tl = clock.timeline(p);
  const state = clock.freshState(p, "00000000-0000-4000-8000-000000000001");
  clock.start(state, 6, STARTED);
  clock.catchUp(tl, state, T0);
  return { tl, state };
}
const shape = (segments) => segments.map((s) => `${s.step}:${s.phase}:${s.side}:${s.hold}`);
function at(tl, state, now) {
  clock.catchUp(tl, state, now);
  return clock.position(tl, state, now);
}

describe("segments", () => {
  test("get ready, a two-sided timed step then a counted one: switch between sides, release between holds, rest between steps", () => {
    const { segments } = clock.timeline(plan(TIMED_BOTH, COUNTED));
    assert.deepEqual(shape(segments), [
      "0:ready:right:0", "0:work:right:0", "0:switch:left:0", "0:work:left:0", "0:rest:both:0",
      "1:work:right:0", "1:release:right:1", "1:work:right:1", "1:release:right:2", "1:work:right:2",
    ]);
    assert.deepEqual(segments.map((s) => s.seconds), [5, 60, 5, 60, 15, 30, 5, 30, 5, 30]);
    // No rest after the last step, though it has rest seconds of its own.
    assert.equal(segments.at(-1).phase, "work");
  });

  test("a two-sided counted step holds on one side, switches, then holds on the other", () => {
    const both = { ...COUNTED, side: "both", passes: ["right", "left"], repetitions: 2 };
    const { segments } = clock.timeline(plan(both));
    assert.deepEqual(shape(segments), [
      "0:ready:right:0", "0:work:right:0", "0:release:right:1", "0:work:right:1",
      "0:switch:left:0", "0:work:left:0", "0:release:left:1", "0:work:left:1",
    ]);
    assert.deepEqual(segments.map((s) => s.seconds), [5, 30, 5, 30, 5, 30, 5, 30]);
  });

  test("between steps, the time to move even when the step has no rest seconds", () => {
    const { segments } = clock.timeline(plan({ ...TIMED_BOTH, rest_seconds: 0 }, COUNTED));
    assert.deepEqual(segments.filter((s) => s.phase === "rest").map((s) => s.seconds), [MOVE]);
  });

  test("the plan's time to move sets getting ready and switching; a longer rest stays", () => {
    const p = { ...plan(TIMED_BOTH, COUNTED), move_seconds: 20 };
    const seconds = (phase) => clock.timeline(p).segments.filter((s) => s.phase === phase).map((s) => s.seconds);
    assert.deepEqual([seconds("ready"), seconds("switch"), seconds("rest"), seconds("release")], [[20], [20], [20], [5, 5]]);
    const longRest = { ...p, steps: [{ ...TIMED_BOTH, rest_seconds: 45 }, COUNTED] };
    assert.deepEqual(clock.timeline(longRest).segments.filter((s) => s.phase === "rest").map((s) => s.seconds), [45]);
    // A plan from before the setting: 10 seconds.
    const { move_seconds: _, ...old } = plan(TIMED_BOTH);
    assert.equal(clock.timeline(old).segments[0].seconds, clock.MOVE);
    assert.equal(clock.MOVE, 10);
  });

  test("a step with neither a duration nor a hold is worked for 30 seconds; a hold without repetitions once", () => {
    const { segments } = clock.timeline(plan(step({}), step({ hold_seconds: 45 })));
    assert.deepEqual(shape(segments), ["0:ready:right:0", "0:work:right:0", "0:rest:right:0", "1:work:right:0"]);
    assert.deepEqual(segments.map((s) => s.seconds), [5, 30, 5, 45]);
    assert.equal(segments[3].counted, true);
  });

  test("planned seconds count work only, on every side and every hold", () => {
    const tl = clock.timeline(plan(TIMED_BOTH, COUNTED));
    assert.deepEqual(tl.planned, [120, 90]);
    assert.equal(tl.firstOf(0), 0);
    assert.equal(tl.firstOf(1), 5);
    assert.equal(tl.firstOf(2), tl.segments.length);
    assert.deepEqual(tl.lastWork, [3, 9]);
  });
});

describe("time left", () => {
  test("counts down from the start and carries over into the next segments", () => {
    const { tl, state } = started(plan(TIMED_BOTH, COUNTED));
    assert.equal(at(tl, state, T0).left, 60 * S);
    assert.equal(clock.formatClock(at(tl, state, T0 + 7 * S).left), "0:53");
    const switching = at(tl, state, T0 + 62 * S);
    assert.equal(switching.phase, "switch");
    assert.equal(switching.side, "left");
    assert.equal(switching.left, 3 * S);
    // A background tab owes several segments at once: work, switch, work, rest, 4 s of hold 1.
    const holding = at(tl, state, T0 + (60 + 5 + 60 + 15 + 4) * S);
    assert.deepEqual([holding.step, holding.phase, holding.hold, holding.left], [1, "work", 0, 26 * S]);
  });

  test("progress runs from 0 to 1 over the segments", () => {
    const { tl, state } = started(plan(TIMED_BOTH, COUNTED));
    const fresh = clock.freshState(tl.plan, "id");
    clock.start(fresh, 6, STARTED);
    assert.equal(clock.position(tl, fresh, STARTED).progress, 0);
    assert.equal(at(tl, state, T0).progress, 1 / 10);
    assert.equal(at(tl, state, T0 + 30 * S).progress, 1.5 / 10);
    assert.equal(at(tl, state, T0 + 65 * S).progress, 3 / 10);
  });

  test("the clock reads m:ss, rounding up", () => {
    assert.equal(clock.formatClock(0), "0:00");
    assert.equal(clock.formatClock(1), "0:01");
    assert.equal(clock.formatClock(9 * S), "0:09");
    assert.equal(clock.formatClock(59_001), "1:00");
    assert.equal(clock.formatClock(61 * S), "1:01");
    assert.equal(clock.formatClock(125_500), "2:06");
  });
});

describe("pause and resume", () => {
  test("paused time does not count down, and resuming counts on from where it stopped", () => {
    const { tl, state } = started(plan(TIMED_BOTH));
    assert.equal(clock.togglePause(tl, state, T0 + 10 * S), "paused");
    assert.equal(clock.isRunning(state), false);
    const paused = at(tl, state, T0 + 130 * S);
    assert.equal(paused.paused, true);
    assert.equal(paused.left, 50 * S);
    assert.equal(paused.phase, "work");
    assert.equal(clock.togglePause(tl, state, T0 + 130 * S), "resumed");
    assert.equal(at(tl, state, T0 + 135 * S).left, 45 * S);
    // Pausing twice adds up.
    clock.togglePause(tl, state, T0 + 140 * S);
    clock.togglePause(tl, state, T0 + 200 * S);
    assert.equal(at(tl, state, T0 + 201 * S).left, 39 * S);
  });

  test("pausing after the time ran out finishes the session instead", () => {
    const { tl, state } = started(plan(step({ duration_seconds: 10 })));
    assert.equal(clock.togglePause(tl, state, T0 + 11 * S), "finished");
    assert.equal(state.stage, "after");
    assert.equal(state.finishedAt, new Date(T0 + 11 * S).toISOString());
    assert.equal(clock.togglePause(tl, state, T0 + 12 * S), null);
  });
});

describe("skip and back", () => {
  test("skipping mid-step goes to the next step's start and keeps the time worked", () => {
    const { tl, state } = started(plan(TIMED_BOTH, COUNTED));
    assert.equal(clock.skip(tl, state, T0 + 4 * S), true);
    const now = at(tl, state, T0 + 4 * S);
    assert.deepEqual([now.step, now.phase, now.hold, now.left], [1, "work", 0, 30 * S]);
    assert.deepEqual(state.skipped, [true, false]);
    assert.deepEqual(state.done, [4 * S, 0]);
    assert.equal(at(tl, state, T0 + 6 * S).left, 28 * S);
  });

  test("skipping a rest goes on to the next step without marking the step skipped", () => {
    const { tl, state } = started(plan(TIMED_BOTH, COUNTED));
    assert.equal(at(tl, state, T0 + 126 * S).phase, "rest");
    clock.skip(tl, state, T0 + 126 * S);
    assert.equal(at(tl, state, T0 + 126 * S).step, 1);
    assert.deepEqual(state.skipped, [false, false]);
    assert.deepEqual(state.finished, [true, false]);
  });

  test("skipping the last step ends the session", () => {
    const { tl, state } = started(plan(TIMED_BOTH, COUNTED));
    clock.skip(tl, state, T0 + S);
    clock.skip(tl, state, T0 + 2 * S);
    assert.equal(state.stage, "after");
    assert.equal(state.finishedAt, new Date(T0 + 2 * S).toISOString());
    assert.equal(clock.position(tl, state, T0 + 3 * S), null);
    assert.equal(clock.skip(tl, state, T0 + 3 * S), false);
  });

  test("skipping while paused stays paused", () => {
    const { tl, state } = started(plan(TIMED_BOTH, COUNTED));
    clock.togglePause(tl, state, T0 + 2 * S);
    clock.skip(tl, state, T0 + 50 * S);
    const now = at(tl, state, T0 + 90 * S);
    assert.deepEqual([now.step, now.paused, now.left], [1, true, 30 * S]);
  });

  test("back in the first seconds of a step goes to the previous step and clears its skip", () => {
    const { tl, state } = started(plan(TIMED_BOTH, COUNTED));
    clock.skip(tl, state, T0 + 5 * S);
    clock.back(tl, state, T0 + 7 * S);
    // The first step begins with getting ready: time to move back into its position.
    const now = at(tl, state, T0 + 7 * S);
    assert.deepEqual([now.step, now.phase, now.side, now.left], [0, "ready", "right", MOVE * S]);
    assert.deepEqual(state.skipped, [false, false]);
  });

  test("back a few seconds into a step goes to its start, as a music player does", () => {
    const { tl, state } = started(plan(TIMED_BOTH, COUNTED));
    clock.skip(tl, state, T0 + 5 * S);
    clock.back(tl, state, T0 + 9 * S);
    const now = at(tl, state, T0 + 9 * S);
    assert.deepEqual([now.step, now.left], [1, 30 * S]);
  });

  test("back from a rest goes to the start of the step just done", () => {
    const { tl, state } = started(plan(TIMED_BOTH, COUNTED));
    assert.equal(at(tl, state, T0 + 130 * S).phase, "rest");
    clock.back(tl, state, T0 + 130 * S);
    const now = at(tl, state, T0 + 130 * S);
    assert.deepEqual([now.index, now.step, now.phase], [0, 0, "ready"]);
    assert.deepEqual(state.finished, [false, false]);
  });

  test("a step restarted with back and then skipped is not completed", () => {
    const p = plan(step({ duration_seconds: 60 }), step({ technique: "second", duration_seconds: 60 }));
    const { tl, state } = started(p);
    clock.catchUp(tl, state, T0 + 75 * S); // 60 s, 5 s to move, 10 s into the second step
    clock.back(tl, state, T0 + 75 * S);
    assert.deepEqual([at(tl, state, T0 + 75 * S).step, state.finished[1]], [1, false]);
    clock.skip(tl, state, T0 + 80 * S);
    assert.equal(state.stage, "after");
    const log = clock.buildLog(tl, state, T0 + 80 * S);
    assert.deepEqual(log.steps.map((s) => [s.done_seconds, s.completed]), [[60, true], [15, false]]);
  });

  test("back on the first step restarts it, from getting ready", () => {
    const { tl, state } = started(plan(TIMED_BOTH, COUNTED));
    clock.back(tl, state, T0 + S);
    assert.deepEqual([at(tl, state, T0 + S).index, at(tl, state, T0 + S).left], [0, MOVE * S]);
  });

  test("skipping the get-ready goes to the first hold without skipping the step", () => {
    const tl = clock.timeline(plan(TIMED_BOTH, COUNTED));
    const state = clock.freshState(tl.plan, "id");
    clock.start(state, 6, STARTED);
    assert.equal(clock.position(tl, state, STARTED + S).phase, "ready");
    clock.skip(tl, state, STARTED + S);
    const now = at(tl, state, STARTED + S);
    assert.deepEqual([now.step, now.phase, now.left], [0, "work", 60 * S]);
    assert.deepEqual(state.skipped, [false, false]);
  });
});

describe("work done and the log", () => {
  test("a session run to the end: every step finished, done seconds equal to those planned", () => {
    const p = plan(TIMED_BOTH, COUNTED);
    const { tl, state } = started(p);
    const total = 60 + 5 + 60 + 15 + 30 + 5 + 30 + 5 + 30; // after the 5 s to get ready
    assert.equal(clock.catchUp(tl, state, T0 + (total - 1) * S), true);
    assert.equal(state.stage, "running");
    clock.catchUp(tl, state, T0 + (total + 100) * S);
    assert.equal(state.stage, "after");
    assert.equal(state.finishedAt, new Date(T0 + (total + 100) * S).toISOString());
    assert.deepEqual(clock.doneSeconds(state), [120, 90]);
    state.painAfter = 2;
    state.note = "Easier to stand up.";
    state.answers[0] = "yes";
    assert.deepEqual(clock.buildLog(tl, state, T0 + 999 * S), {
      id: "00000000-0000-4000-8000-000000000001",
      routine: "",
      started_at: new Date(STARTED).toISOString(),
      finished_at: new Date(T0 + (total + 100) * S).toISOString(),
      pain_before: 6,
      pain_after: 2,
      note: "Easier to stand up.",
      steps: [
        { technique: "ql-tennis-ball-side-lying", side: "both", planned_seconds: 120, done_seconds: 120, completed: true, reproduced: "yes" },
        { technique: "gmed-overlap-fists", side: "right", planned_seconds: 90, done_seconds: 90, completed: true, reproduced: "" },
      ],
    });
  });

  test("a skipped step is not completed, and counts only the seconds worked", () => {
    const p = { ...plan(TIMED_BOTH, COUNTED), routine: "low-back-basics" };
    const { tl, state } = started(p);
    clock.catchUp(tl, state, T0 + 70 * S); // 60 s on the right, 5 s switch, 5 s on the left
    clock.skip(tl, state, T0 + 70 * S);
    clock.catchUp(tl, state, T0 + 200 * S);
    const log = clock.buildLog(tl, state, T0 + 201 * S);
    assert.equal(log.routine, "low-back-basics");
    assert.deepEqual(log.steps.map((s) => [s.done_seconds, s.completed]), [[65, false], [90, true]]);
  });

  test("a log saved before the end says when it was saved", () => {
    const { tl, state } = started(plan(TIMED_BOTH));
    assert.equal(clock.buildLog(tl, state, T0 + 5 * S).finished_at, new Date(T0 + 5 * S).toISOString());
  });
});

describe("a reload mid-session", () => {
  test("the stored state resumes at the same hold, with the time run on", () => {
    const p = plan(COUNTED, TIMED_BOTH);
    const { tl, state } = started(p);
    assert.equal(at(tl, state, T0 + 38 * S).hold, 1); // hold 30 s, release 5 s, 3 s into hold 2
    const stored = JSON.parse(JSON.stringify(clock.summarize(tl, state, T0 + 38 * S)));
    assert.deepEqual([stored.step, stored.phase, stored.hold, stored.remaining], [0, "work", 1, 27]);

    // The page comes back 2 s later from what was stored.
    assert.equal(clock.isUsable(stored, p), true);
    const tl2 = clock.timeline(p);
    const now = at(tl2, stored, T0 + 40 * S);
    assert.deepEqual([now.step, now.phase, now.hold, now.left, now.paused], [0, "work", 1, 25 * S, false]);
    assert.equal(clock.countText(p, now.segment), "Hold 2 of 3");
  });

  test("a paused session stays paused across a reload", () => {
    const p = plan(COUNTED);
    const { tl, state } = started(p);
    clock.togglePause(tl, state, T0 + 12 * S);
    const stored = JSON.parse(JSON.stringify(state));
    const now = at(clock.timeline(p), stored, T0 + 600 * S);
    assert.deepEqual([now.hold, now.left, now.paused], [0, 18 * S, true]);
  });

  test("a state stored for another plan is not used", () => {
    const { state } = started(plan(TIMED_BOTH));
    assert.equal(clock.isUsable(state, plan(TIMED_BOTH, COUNTED)), false);
    assert.equal(clock.isUsable(null, plan(TIMED_BOTH)), false);
    assert.equal(clock.isUsable({ ...state, clientId: "" }, plan(TIMED_BOTH)), false);
  });
});

describe("words on the screen", () => {
  const p = plan(TIMED_BOTH, COUNTED);
  const { segments } = clock.timeline(p);

  test("the phase", () => {
    assert.deepEqual(segments.map((seg) => clock.phaseText(p, seg)), [
      "Get ready", "Press and work the spot", "Switch sides", "Press and work the spot",
      "Rest. Next: Gluteus medius with fists",
      "Press and hold", "Release and breathe", "Press and hold", "Release and breathe", "Press and hold",
    ]);
  });

  test("a timed step is 'Press and work the spot' whatever the tool, hands included", () => {
    for (const tool of ["Tennis ball", "Foam roller", "Fists", "Thumbs", "Fingertips"]) {
      const q = plan(step({ tool, duration_seconds: 60 }));
      assert.equal(clock.phaseText(q, clock.timeline(q).segments[1]), "Press and work the spot");
    }
  });

  test("the count, the side and what is announced", () => {
    assert.deepEqual(segments.map((seg) => clock.countText(p, seg)), [
      "", "Side 1 of 2", "Side 2 of 2", "Side 2 of 2", "",
      "Hold 1 of 3", "", "Hold 2 of 3", "", "Hold 3 of 3", // getting ready and a release show no count
    ]);
    assert.equal(clock.sideText(segments[0]), "On your right side");
    assert.equal(clock.sideText(segments[1]), "On your right side");
    assert.equal(clock.sideText(segments[4]), "Rest");
    assert.equal(clock.switchText(segments[2]), "Switch to your left side");
    assert.equal(clock.progressLabel(p, segments[5]), "Step 2 of 2");
    assert.deepEqual(segments.slice(0, 6).map((seg) => clock.announcement(p, seg)), [
      "Get ready. Quadratus lumborum on a ball. On your right side",
      "Quadratus lumborum on a ball. Side 1 of 2", "Switch to your left side",
      "Quadratus lumborum on a ball. Side 2 of 2", "Rest. Next: Gluteus medius with fists",
      "Gluteus medius with fists. Hold 1 of 3",
    ]);
    const single = plan(step({ side: "left", passes: ["left"], duration_seconds: 60 }));
    assert.equal(clock.startAnnouncement(single, clock.timeline(single).segments[0]), "Get ready. A technique. On your left side");
  });

  test("the outbox message counts the sessions sent", () => {
    assert.equal(clock.sentText(1), "Your session saved on this device has now been sent.");
    assert.equal(clock.sentText(3), "3 sessions saved on this device have now been sent.");
  });
});

describe("did it reproduce your pain?", () => {
  test("asked in the step's last 20 seconds, in the rest after it, and once answered", () => {
    const { tl, state } = started(plan(TIMED_BOTH, COUNTED));
    assert.equal(at(tl, state, T0 + 100 * S).asking, false); // 35 s left on the left side
    assert.equal(at(tl, state, T0 + 105 * S).asking, true); // 20 s left
    assert.equal(at(tl, state, T0 + 126 * S).asking, true); // the rest
    assert.equal(at(tl, state, T0 + 141 * S).asking, false); // the next step
    state.answers[1] = "no";
    assert.equal(at(tl, state, T0 + 141 * S).asking, true);
  });

  test("not asked on the first side of a two-sided step, even in its last seconds", () => {
    const { tl, state } = started(plan(TIMED_BOTH, COUNTED));
    assert.equal(at(tl, state, T0 + 50 * S).asking, false);
  });
});

describe("the end of a session", () => {
  test("pain before and after, the time it took, and each step with its sides", () => {
    const { tl, state } = started(plan(TIMED_BOTH, COUNTED, step({ name: "Third", side: "left", passes: ["left"], duration_seconds: 60 })));
    clock.catchUp(tl, state, T0 + 140 * S); // the first step and its rest: 60 + 5 + 60 + 15
    clock.catchUp(tl, state, T0 + 150 * S);
    clock.skip(tl, state, T0 + 150 * S); // 10 s into the counted step: on to the third
    clock.skip(tl, state, T0 + 150 * S); // the third step, not begun: the end
    state.painAfter = 2;
    const summary = clock.sessionSummary(tl, state);
    assert.equal(summary.pain, "6 before, 2 after: 4 points less");
    assert.equal(state.stage, "after");
    assert.equal(summary.time, "2 min 35 s"); // 5 s to get ready, then 150 s
    assert.deepEqual(summary.steps.map((s) => [s.name, s.sides, s.status, s.text]), [
      ["Quadratus lumborum on a ball", "Right and left sides", "done", "Done, 2:00"],
      ["Gluteus medius with fists", "Right side", "partly", "Stopped after 0:10 of 1:30"],
      ["Third", "Left side", "skipped", "Skipped"],
    ]);
  });

  test("pain the same or worse, and times in words", () => {
    const { tl, state } = started(plan(TIMED_BOTH));
    state.painAfter = 7;
    assert.equal(clock.sessionSummary(tl, state).pain, "6 before, 7 after: 1 point more");
    state.painAfter = 6;
    assert.equal(clock.sessionSummary(tl, state).pain, "6 before, 6 after: the same");
    assert.deepEqual([45, 60, 725].map(clock.durationText), ["45 s", "1 min", "12 min 5 s"]);
  });
});
