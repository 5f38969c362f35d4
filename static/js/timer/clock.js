/* backtp session timer: the clock. Pure: no DOM, no storage, no Date.now(). Every function
   takes the plan (or its timeline), the timer state and, where time matters, `now` in
   milliseconds. Functions that move the session on change the state object they are given. */

export const RELEASE = 5; // seconds to let go between two holds (the ball stays put)
export const MOVE = 10; // seconds to move (get ready, change sides) when the plan gives none
export const ASK_LAST = 20; // ask "did it reproduce your pain?" in the step's last seconds
export const SIDE = { left: "left side", right: "right side", both: "both sides" };
export const MAX_DONE_SECONDS = 24 * 3600;

/* The plan as a flat list of timed segments ---------------------------------------------- */

// The plan's time to move: to get into position, to change sides, to go to the next step.
export function moveSeconds(plan) {
  const seconds = plan.move_seconds;
  return Number.isInteger(seconds) && seconds > 0 ? seconds : MOVE;
}

// A "get ready" to take up the first position; then each step: its passes (one per side)
// of work, a release between holds of a counted step, a switch between sides, and a rest
// after it unless it is the last step. Switches and rests are at least the time to move,
// since someone lying on a ball needs it to move the ball.
export function buildSegments(plan) {
  const segments = [];
  const move = moveSeconds(plan);
  plan.steps.forEach((step, s) => {
    const counted = !step.duration_seconds && step.hold_seconds;
    const holds = counted ? Math.max(1, step.repetitions || 1) : 1;
    const work = counted ? step.hold_seconds : step.duration_seconds || 30;
    if (s === 0) segments.push({ step: 0, pass: 0, hold: 0, holds, phase: "ready", seconds: move, side: step.passes[0] });
    step.passes.forEach((side, p) => {
      if (p > 0) segments.push({ step: s, pass: p, hold: 0, holds, phase: "switch", seconds: move, side });
      for (let h = 0; h < holds; h++) {
        if (h > 0) segments.push({ step: s, pass: p, hold: h, holds, phase: "release", seconds: RELEASE, side });
        segments.push({ step: s, pass: p, hold: h, holds, phase: "work", seconds: work, counted: !!counted, side });
      }
    });
    if (s < plan.steps.length - 1) {
      segments.push({
        step: s, pass: step.passes.length - 1, hold: holds - 1, holds, phase: "rest",
        seconds: Math.max(step.rest_seconds || 0, move), side: step.side,
      });
    }
  });
  return segments;
}

// The segments and what follows from them: seconds of work planned per step, the index of
// each step's last work segment, and the index of each step's first segment.
export function timeline(plan) {
  const segments = buildSegments(plan);
  const planned = plan.steps.map((_, s) =>
    segments.reduce((sum, seg) => (seg.step === s && seg.phase === "work" ? sum + seg.seconds : sum), 0));
  const lastWork = plan.steps.map((_, s) => {
    let last = -1;
    segments.forEach((seg, i) => { if (seg.step === s && seg.phase === "work") last = i; });
    return last;
  });
  const firstOf = (s) => {
    const i = segments.findIndex((seg) => seg.step === s);
    return i === -1 ? segments.length : i;
  };
  return { plan, segments, planned, lastWork, firstOf };
}

/* State -------------------------------------------------------------------------------- */

export function freshState(plan, clientId) {
  return {
    stage: "before", // before, running, after, done
    clientId,
    startedAt: null,
    finishedAt: null,
    painBefore: null,
    painAfter: null,
    note: "",
    seg: 0,
    elapsed: 0, // ms run in the current segment before runStart
    runStart: null, // the time the current run began; null = paused
    done: plan.steps.map(() => 0), // ms of work actually run per step
    finished: plan.steps.map(() => false),
    skipped: plan.steps.map(() => false),
    answers: plan.steps.map(() => ""),
  };
}

// A stored state fits this plan (otherwise the timer starts afresh).
export function isUsable(state, plan) {
  return !!state && !!state.clientId && Array.isArray(state.done) && state.done.length === plan.steps.length;
}

export function isRunning(state) {
  return state.stage === "running" && state.runStart !== null;
}

// Starts the session; `state` should be fresh.
export function start(state, painBefore, now) {
  state.stage = "running";
  state.painBefore = painBefore;
  state.startedAt = new Date(now).toISOString();
  state.runStart = now;
}

/* Where are we -------------------------------------------------------------------------- */

export function segElapsed(state, now) {
  return state.elapsed + (state.runStart === null ? 0 : now - state.runStart);
}

// Milliseconds left in the current segment.
export function remaining(tl, state, now) {
  const seg = tl.segments[state.seg];
  return seg ? Math.max(0, seg.seconds * 1000 - segElapsed(state, now)) : 0;
}

// Everything the running screen shows, or null when no segment is current.
export function position(tl, state, now) {
  const seg = tl.segments[state.seg];
  if (!seg) return null;
  const left = remaining(tl, state, now);
  const last = tl.lastWork[seg.step];
  return {
    index: state.seg,
    segment: seg,
    step: seg.step,
    pass: seg.pass,
    side: seg.side,
    hold: seg.hold,
    holds: seg.holds,
    phase: seg.phase,
    left,
    paused: state.runStart === null,
    progress: (state.seg + 1 - left / (seg.seconds * 1000)) / tl.segments.length,
    asking: seg.phase === "rest" || state.seg > last ||
      (state.seg === last && left <= ASK_LAST * 1000) || state.answers[seg.step] !== "",
  };
}

// The readable summary kept in storage alongside the raw timestamps.
export function summarize(tl, state, now) {
  const seg = tl.segments[state.seg];
  if (seg) {
    state.step = seg.step;
    state.pass = seg.pass;
    state.hold = seg.hold;
    state.phase = seg.phase;
    state.remaining = Math.round(remaining(tl, state, now) / 1000);
  }
  return state;
}

// Whole seconds of work done per step, as the log reports them.
export function doneSeconds(state) {
  return state.done.map((ms) => Math.min(MAX_DONE_SECONDS, Math.round(ms / 1000)));
}

/* Moving through the session ------------------------------------------------------------ */

function leaveSegment(tl, state, now, completedNaturally) {
  const seg = tl.segments[state.seg];
  if (seg && seg.phase === "work") {
    state.done[seg.step] += Math.min(seg.seconds * 1000, segElapsed(state, now));
    if (completedNaturally && state.seg === tl.lastWork[seg.step]) state.finished[seg.step] = true;
  }
}

function finish(state, now) {
  state.stage = "after";
  state.runStart = null;
  state.elapsed = 0;
  state.finishedAt = new Date(now).toISOString();
}

function enter(tl, state, index, now, carry) {
  state.seg = index;
  state.elapsed = 0;
  state.runStart = state.runStart === null ? null : now - (carry || 0);
  if (index >= tl.segments.length) finish(state, now);
}

// Advances past every segment whose time is up (a background tab or a reload may owe
// several); the time over carries into the next. True if it moved.
export function catchUp(tl, state, now) {
  let moved = false;
  while (state.stage === "running" && state.runStart !== null) {
    const seg = tl.segments[state.seg];
    const over = segElapsed(state, now) - seg.seconds * 1000;
    if (over < 0) break;
    leaveSegment(tl, state, now, true);
    enter(tl, state, state.seg + 1, now, over);
    moved = true;
  }
  return moved;
}

// Goes to segment `index` (the end of the plan finishes). False if not running.
export function jumpTo(tl, state, index, now) {
  catchUp(tl, state, now);
  if (state.stage !== "running") return false;
  leaveSegment(tl, state, now, false);
  enter(tl, state, index, now, 0);
  return true;
}

// Skips the rest of the step (or of a rest); a step not run to the end counts as skipped.
export function skip(tl, state, now) {
  const seg = tl.segments[state.seg];
  if (!seg) return false;
  // Skipping the time to move (getting ready, a rest) goes on to what comes next.
  const moving = seg.phase === "rest" || seg.phase === "ready";
  if (!moving && !state.finished[seg.step]) state.skipped[seg.step] = true;
  const next = moving ? state.seg + 1 : tl.firstOf(seg.step + 1);
  return jumpTo(tl, state, next, now);
}

// Back to the previous step, or to the start of this one when a few seconds into it (as a
// music player does), or from a rest to the start of the step just done.
export function back(tl, state, now) {
  const seg = tl.segments[state.seg];
  if (!seg) return false;
  let target = seg.phase === "rest" ? seg.step : Math.max(0, seg.step - 1);
  if (seg.phase !== "rest" && segElapsed(state, now) > 3000 && state.seg === tl.firstOf(seg.step)) {
    target = seg.step;
  }
  state.skipped[target] = false;
  state.finished[target] = false;
  return jumpTo(tl, state, tl.firstOf(target), now);
}

// Pauses or resumes: "paused", "resumed", "finished" (time ran out before) or null.
export function togglePause(tl, state, now) {
  if (state.stage !== "running") return null;
  catchUp(tl, state, now);
  if (state.stage !== "running") return "finished";
  if (state.runStart === null) {
    state.runStart = now;
    return "resumed";
  }
  state.elapsed = segElapsed(state, now);
  state.runStart = null;
  return "paused";
}

/* The log posted to the journal ---------------------------------------------------------- */

export function buildLog(tl, state, now) {
  const plan = tl.plan;
  const done = doneSeconds(state);
  return {
    id: state.clientId,
    routine: plan.routine || "",
    started_at: state.startedAt,
    finished_at: state.finishedAt || new Date(now).toISOString(),
    pain_before: state.painBefore,
    pain_after: state.painAfter,
    note: state.note || "",
    steps: plan.steps.map((step, s) => ({
      technique: step.technique,
      side: step.side,
      planned_seconds: tl.planned[s],
      done_seconds: done[s],
      completed: state.finished[s] && !state.skipped[s],
      reproduced: state.answers[s] || "",
    })),
  };
}

/* Words and numbers on the screen -------------------------------------------------------- */

// m:ss, rounding up, so the clock shows 0:00 only when the time is up.
export function formatClock(ms) {
  const total = Math.ceil(ms / 1000);
  const m = Math.floor(total / 60);
  const s = total % 60;
  return m + ":" + (s < 10 ? "0" : "") + s;
}

export function phaseText(plan, seg) {
  if (seg.phase === "ready") return "Get ready";
  if (seg.phase === "switch") return "Switch sides";
  if (seg.phase === "release") return "Release and breathe";
  if (seg.phase === "rest") {
    const next = plan.steps[seg.step + 1];
    return "Rest" + (next ? ". Next: " + next.name : "");
  }
  return seg.counted ? "Press and hold" : "Press and work the spot";
}

export function countText(plan, seg) {
  const step = plan.steps[seg.step];
  const parts = [];
  if (seg.counted && seg.holds > 1 && seg.phase !== "rest") parts.push("Hold " + (seg.hold + 1) + " of " + seg.holds);
  if (step.passes.length > 1 && seg.phase !== "rest" && seg.phase !== "ready") parts.push("Side " + (seg.pass + 1) + " of " + step.passes.length);
  return parts.join(" · ");
}

export function sideText(seg) {
  if (seg.phase === "rest") return "Rest";
  return "On your " + SIDE[seg.side];
}

export function switchText(seg) {
  return "Switch to your " + SIDE[seg.side];
}

export function progressLabel(plan, seg) {
  return "Step " + (seg.step + 1) + " of " + plan.steps.length;
}

// What a screen reader hears on entering a segment.
export function announcement(plan, seg) {
  if (seg.phase === "ready") return startAnnouncement(plan, seg);
  if (seg.phase === "switch") return switchText(seg);
  if (seg.phase === "work") return plan.steps[seg.step].name + ". " + (countText(plan, seg) || sideText(seg));
  return phaseText(plan, seg);
}

// What a screen reader hears at the start: get ready, the first step and its side or count.
export function startAnnouncement(plan, seg) {
  const ready = seg.phase === "ready" ? "Get ready. " : "";
  return ready + plan.steps[seg.step].name + ". " + (countText(plan, seg) || sideText(seg));
}

/* The end of a session ---------------------------------------------------------------- */

// "12 min 5 s", "45 s", "2 min".
export function durationText(seconds) {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  if (!m) return s + " s";
  return m + " min" + (s ? " " + s + " s" : "");
}

const SIDES_DONE = { left: "left side", right: "right side", both: "both sides" };

// What the end of a session shows: pain before and after, the time it took, and each step
// with its sides, done or skipped.
export function sessionSummary(tl, state) {
  const { painBefore: before, painAfter: after } = state;
  let pain = "";
  if (before !== null && after !== null) {
    const change = before - after;
    const points = (n) => n + (n === 1 ? " point" : " points");
    pain = before + " before, " + after + " after: " +
      (change > 0 ? points(change) + " less" : change < 0 ? points(-change) + " more" : "the same");
  }
  const start = Date.parse(state.startedAt);
  const end = Date.parse(state.finishedAt);
  const seconds = Number.isFinite(start) && Number.isFinite(end) ? Math.max(0, Math.round((end - start) / 1000)) : 0;
  const done = doneSeconds(state);
  const steps = tl.plan.steps.map((step, s) => {
    const sides = step.passes.length > 1 ? step.passes.join(" and ") + " sides" : SIDES_DONE[step.passes[0]];
    let status = "done";
    if (!state.finished[s] || state.skipped[s]) status = done[s] > 0 ? "partly" : "skipped";
    const words = {
      done: "Done, " + formatClock(done[s] * 1000),
      partly: "Stopped after " + formatClock(done[s] * 1000) + " of " + formatClock(tl.planned[s] * 1000),
      skipped: "Skipped",
    }[status];
    return { name: step.name, sides: capitalize(sides), status, text: words };
  });
  return { pain, time: durationText(seconds), steps };
}

function capitalize(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function sentText(sent) {
  return sent === 1 ? "Your session saved on this device has now been sent."
    : sent + " sessions saved on this device have now been sent.";
}
