/* backtp session timer: the page. Shows the stage and the running clock from the state,
   and reads the forms; it never changes the timer state itself. */

import {
  announcement, countText, formatClock, phaseText, position, progressLabel, sideText, switchText,
} from "./clock.js";

const STAGES = ["before", "run", "after", "done"];

// `tl` is the clock's timeline of the plan; `beep(high)` sounds and vibrates.
export function createView(doc, win, tl, beep) {
  const plan = tl.plan;
  const $ = (id) => doc.getElementById(id);
  const announcer = $("announce");
  let lastSeg = null;
  let lastStage = null;

  function announce(text) {
    announcer.textContent = "";
    win.setTimeout(() => { announcer.textContent = text; }, 50);
  }

  function showStage(name) {
    STAGES.forEach((stage) => { $("stage-" + stage).hidden = stage !== name; });
  }

  function fillStep(state, s) {
    const step = plan.steps[s];
    $("run-title").textContent = step.name;
    $("run-tool").textContent = step.tool;
    $("run-position").textContent = step.position;
    $("run-dose").textContent = step.dose;
    $("run-link").href = step.url;
    // The step's picture: the position, the tool and where it goes.
    doc.querySelectorAll(".run__figure").forEach((figure) => {
      figure.hidden = figure.dataset.technique !== step.technique;
    });
    const list = $("run-instructions");
    list.textContent = "";
    step.instructions.forEach((text) => {
      const li = doc.createElement("li");
      li.textContent = text;
      list.appendChild(li);
    });
    const answer = state.answers[s];
    doc.querySelectorAll("input[name=reproduced]").forEach((input) => {
      input.checked = input.value === answer;
    });
  }

  function showSegment(state, seg, changed) {
    const previous = lastSeg === null ? undefined : tl.segments[lastSeg];
    if (previous === undefined || previous.step !== seg.step) fillStep(state, seg.step);
    $("run-display").dataset.phase = seg.phase;
    $("run-phase").textContent = phaseText(plan, seg);
    const switching = seg.phase === "switch";
    $("run-switch").hidden = !switching;
    $("run-switch").textContent = switching ? switchText(seg) : "";
    $("run-count").textContent = countText(plan, seg);
    $("run-side").textContent = sideText(seg);
    $("run-progress-label").textContent = progressLabel(plan, seg);
    if (lastSeg !== null && changed !== false) {
      beep(seg.phase === "work" || seg.phase === "switch");
      announce(announcement(plan, seg));
    }
    lastSeg = state.seg;
  }

  // Brings the page up to date; `changed` false keeps it quiet (no beep, no announcement)
  // when the segment shown changes.
  function render(state, now, changed) {
    const stage = state.stage === "running" ? "run" : state.stage;
    if (stage !== lastStage) {
      showStage(stage);
      if (lastStage !== null) {
        const heading = $("stage-" + stage).querySelector("h1");
        if (heading) heading.focus({ preventScroll: false });
      }
      if (stage === "after") beep(true);
      lastStage = stage;
    }
    if (stage !== "run") return;
    const at = position(tl, state, now);
    if (state.seg !== lastSeg) showSegment(state, at.segment, changed);
    $("run-clock").textContent = formatClock(at.left);
    $("run-progress").value = at.progress;
    $("run-paused").hidden = !at.paused;
    $("run-display").classList.toggle("is-paused", at.paused);
    $("pause").textContent = at.paused ? "Resume" : "Pause";
    $("pause").setAttribute("aria-pressed", at.paused ? "true" : "false");
    $("reproduce").hidden = !at.asking;
  }

  // The next render shows the current segment afresh, without a beep.
  function forgetSegment() {
    lastSeg = null;
  }

  function checkedValue(name) {
    const input = doc.querySelector("input[name=" + name + "]:checked");
    return input ? parseInt(input.value, 10) : null;
  }

  // Shows or hides a form's "choose a number" error and ties it to the scale, so a
  // screen reader reads it with the question (a hidden error is never read).
  function showError(id, show) {
    const error = $(id);
    const scale = error.parentNode.querySelector(".pain-scale");
    error.hidden = !show;
    if (show) scale.setAttribute("aria-describedby", id);
    else scale.removeAttribute("aria-describedby");
  }

  // A session back on the "how is it now?" form after a reload: its answers so far.
  function restoreAfterForm(state) {
    if (state.painAfter !== null) {
      const input = doc.querySelector("input[name=pain_after][value='" + state.painAfter + "']");
      if (input) input.checked = true;
    }
    $("note").value = state.note || "";
  }

  function showMute(muted) {
    $("mute").setAttribute("aria-pressed", muted ? "true" : "false");
  }

  function showSaving(saving) {
    const button = $("save");
    button.disabled = saving;
    button.textContent = saving ? "Saving…" : "Save";
  }

  // Shows a refusal's message; no message hides it.
  function showSaveError(message) {
    if (message) $("save-error").textContent = message;
    $("save-error").hidden = !message;
  }

  function showDoneMessage(message, loggedIn) {
    $("done-message").textContent = message;
    $("done-invite").hidden = loggedIn;
  }

  function showSent(text, stage) {
    const status = $("outbox-status");
    status.textContent = text;
    status.hidden = false;
    const done = $("done-message");
    if (stage === "done" && done) done.textContent = "Saved. It has been sent to your journal.";
  }

  return {
    $, announce, render, forgetSegment, checkedValue, showError, restoreAfterForm, showMute,
    showSaving, showSaveError, showDoneMessage, showSent,
  };
}
