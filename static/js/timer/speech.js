/* backtp session timer: what the voice says, and when. Pure, like clock.js: it takes the
   clock's timeline, a segment's index and the milliseconds left, and gives words; main.js
   hands them to the browser's speech synthesis (voice.js).

   On entering a segment the voice says what to do now; within it, the time left at a few
   moments (half-way in a long hold, 10 seconds left) and "3", "2", "1" before it ends.
   Each step is introduced once, with its muscle, side and position, in the time to move
   before it (getting ready, or the rest after the step before), or when Back or Skip
   lands straight on it. */

const SIDE_WORDS = { left: "your left side", right: "your right side", both: "both sides" };
const HALF_WAY_FROM = 40; // seconds: holds this long hear "half-way"
const TEN_LEFT_FROM = 25; // seconds: holds this long hear "10 seconds left"
const COUNTDOWN_FROM = 5; // seconds: segments this long end with "3, 2, 1"

export const RATES = { min: 0.6, max: 1.6 };
export const DEFAULT_SETTINGS = { on: true, rate: 1, volume: 1 };

// Voice settings as stored on the device, made safe: anything odd falls back to the default.
export function settings(stored) {
  const s = stored && typeof stored === "object" ? stored : {};
  const within = (value, low, high, fallback) =>
    (typeof value === "number" && value >= low && value <= high ? value : fallback);
  return {
    on: typeof s.on === "boolean" ? s.on : DEFAULT_SETTINGS.on,
    rate: within(s.rate, RATES.min, RATES.max, DEFAULT_SETTINGS.rate),
    volume: within(s.volume, 0, 1, DEFAULT_SETTINGS.volume),
  };
}

const capital = (text) => text.charAt(0).toUpperCase() + text.slice(1);

// "1 minute 30 seconds", "45 seconds", "2 minutes".
export function durationWords(seconds) {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  const parts = [];
  if (m) parts.push(m + (m === 1 ? " minute" : " minutes"));
  if (s || !m) parts.push(s + (s === 1 ? " second" : " seconds"));
  return parts.join(" ");
}

// The step's placement (its picture in words: "Lying on your side, ..., a tennis ball under
// the waist; roll slowly up and down") split into the position and the movement.
function placementParts(step) {
  const [position, movement] = (step.placement || "").split(";");
  return { position: (position || "").trim(), movement: (movement || "").trim() };
}

// The step's name, side and position: "Quadratus lumborum, lying on your right side,
// propped on your forearm, a tennis ball under the side of the waist".
export function introduction(plan, s, side) {
  const step = plan.steps[s];
  const name = step.muscle || step.name;
  const { position } = placementParts(step);
  const sideWords = SIDE_WORDS[side] || SIDE_WORDS[step.side];
  if (position.startsWith("Lying on your side")) {
    return name + ", lying on " + sideWords + position.slice("Lying on your side".length) + ".";
  }
  const where = side === "both" ? "both sides" : sideWords.replace("your ", "");
  return name + ", " + where + "." + (position ? " " + position + "." : "");
}

// What to do on pressing: "Press and hold." for a counted hold, or the movement for a
// timed step ("Press. Roll slowly up and down.").
function pressWords(plan, seg) {
  if (seg.counted) {
    return "Press and hold." + (seg.holds > 1 ? " Hold " + (seg.hold + 1) + " of " + seg.holds + "." : "");
  }
  const { movement } = placementParts(plan.steps[seg.step]);
  return movement ? "Press. " + capital(movement) + "." : "Press and hold.";
}

// What the voice says on entering segment `index`. `introduced` is the step last
// introduced; the answer says which step is introduced once these words are said.
export function enterCue(tl, index, introduced) {
  const plan = tl.plan;
  const seg = tl.segments[index];
  if (!seg) return { text: "", introduced };
  if (seg.phase === "ready") {
    return { text: "Get ready. " + introduction(plan, seg.step, seg.side), introduced: seg.step };
  }
  if (seg.phase === "switch") {
    return { text: "Switch to " + SIDE_WORDS[seg.side] + ".", introduced };
  }
  if (seg.phase === "release") return { text: "Let go and breathe.", introduced };
  if (seg.phase === "rest") {
    const next = seg.step + 1;
    if (!plan.steps[next]) return { text: "Rest.", introduced };
    return {
      text: "Rest. Next: " + introduction(plan, next, plan.steps[next].passes[0]),
      introduced: next,
    };
  }
  // Work: the first hold of a step not yet introduced (Back or Skip landed on it) says
  // what it is first.
  const first = seg.pass === 0 && seg.hold === 0;
  const intro = first && introduced !== seg.step ? introduction(plan, seg.step, seg.side) + " " : "";
  return { text: intro + pressWords(plan, seg), introduced: seg.step };
}

// The moments within segment `index` when the voice says the time left: a list of
// { left (seconds), text }, from the earliest.
export function timeCues(tl, index) {
  const seg = tl.segments[index];
  if (!seg) return [];
  const cues = [];
  if (seg.phase === "work") {
    if (seg.seconds >= HALF_WAY_FROM) {
      const half = Math.floor(seg.seconds / 2);
      cues.push({ left: half, text: "Half-way. " + capital(durationWords(half)) + " left." });
    }
    if (seg.seconds >= TEN_LEFT_FROM) cues.push({ left: 10, text: "10 seconds left." });
  }
  if (seg.seconds >= COUNTDOWN_FROM) {
    cues.push({ left: 3, text: "3" }, { left: 2, text: "2" }, { left: 1, text: "1" });
  }
  return cues;
}

// The cue due as the time left went from `beforeMs` to `nowMs` (both in this segment):
// the latest one crossed, so a page back from the background says only where it is.
// A cue at L seconds is due when the clock turns to L (it rounds up: L·1000 ms or less).
export function dueCue(cues, beforeMs, nowMs) {
  let due = null;
  for (const cue of cues) {
    const at = cue.left * 1000;
    if (nowMs <= at && at < beforeMs) due = cue;
  }
  return due ? due.text : "";
}

export const END_QUESTION = "Well done. How is your pain now, from 0 to 10?";
