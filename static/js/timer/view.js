/* backtp session timer: the page. Shows the stage and the running clock from the state,
   and reads the forms; it never changes the timer state itself. */

import {
  SIDE, announcement, countText, formatClock, phaseText, position, progressLabel, sessionSummary, sideText, switchText,
} from "./clock.js";

const STAGES = ["before", "run", "after", "done"];

// `tl` is the clock's timeline of the plan; `beep(high)` sounds and vibrates;
// `voiceSpeaks()` is true while the voice says each step, and then the live region does
// not say it too (it still says what the voice does not: paused, resumed, saved).
export function createView(doc, win, tl, beep, voiceSpeaks = () => false) {
  const plan = tl.plan;
  const $ = (id) => doc.getElementById(id);
  const announcer = $("announce");
  let lastSeg = null;
  let lastStage = null;

  function announce(text) {
    announcer.textContent = "";
    win.setTimeout(() => { announcer.textContent = text; }, 50);
  }

  // While the clock runs, the page is the timer only: on a phone the site's header and
  // footer give way (timer.css) so the display, the picture and the controls fit.
  function showStage(name) {
    STAGES.forEach((stage) => { $("stage-" + stage).hidden = stage !== name; });
    doc.body.classList.toggle("timer-focus", name === "run");
  }

  // The picture of a step: the position, the tool and where it goes.
  function showFigure(technique) {
    doc.querySelectorAll(".run__figure").forEach((figure) => {
      figure.hidden = figure.dataset.technique !== technique;
    });
  }

  function fillStep(state, s) {
    const step = plan.steps[s];
    $("run-title").textContent = step.name;
    $("run-tool").textContent = step.tool;
    $("run-position").textContent = step.position;
    $("run-dose").textContent = step.dose;
    $("run-link").href = step.url;
    showFigure(step.technique);
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
    // A rest is the time to move into the next step's position: its side and its picture.
    const next = seg.phase === "rest" ? plan.steps[seg.step + 1] : null;
    $("run-side").textContent = next ? "Then on your " + SIDE[next.passes[0]] : sideText(seg);
    showFigure((next || plan.steps[seg.step]).technique);
    $("run-progress-label").textContent = progressLabel(plan, seg);
    if (lastSeg !== null && changed !== false) {
      beep(seg.phase === "work" || seg.phase === "switch");
      if (!voiceSpeaks()) announce(announcement(plan, seg));
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
    $("run-figures").classList.toggle("is-paused", at.paused);
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
    const ends = scale.querySelector(".pain-scale__ends").id;
    error.hidden = !show;
    scale.setAttribute("aria-describedby", show ? id + " " + ends : ends);
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

  // The voice settings as kept on the device; `available` false: no voice for the page's
  // language here, so the timer keeps to tones.
  function showVoice(settings, available) {
    $("voice-on").checked = settings.on;
    $("voice-rate").value = String(settings.rate);
    $("voice-volume").value = String(settings.volume);
    $("voice-rate").setAttribute("aria-valuetext", Math.round(settings.rate * 100) + "% speed");
    $("voice-volume").setAttribute("aria-valuetext", Math.round(settings.volume * 100) + "%");
    $("voice-note").hidden = available;
  }

  function readVoice() {
    return {
      on: $("voice-on").checked,
      rate: parseFloat($("voice-rate").value),
      volume: parseFloat($("voice-volume").value),
    };
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

  // The end of the session: the summary, then where it was saved, said once (the status
  // is filled after it is shown, so a screen reader reads it).
  function showDone(state, message, loggedIn) {
    const summary = sessionSummary(tl, state);
    $("done-pain").textContent = summary.pain;
    $("done-time").textContent = summary.time;
    const list = $("done-steps");
    list.textContent = "";
    summary.steps.forEach((step) => {
      const li = doc.createElement("li");
      li.className = "done__step done__step--" + step.status;
      const name = doc.createElement("strong");
      name.textContent = step.name;
      const detail = doc.createElement("span");
      detail.textContent = step.sides + ". " + step.text;
      li.append(name, " ", detail);
      list.appendChild(li);
    });
    $("done-invite").hidden = loggedIn;
    $("done-message").textContent = "";
    win.setTimeout(() => { $("done-message").textContent = message; }, 50);
  }

  // Sessions kept on the device have been sent: on the done screen the status changes in
  // place; elsewhere the page-wide notice says it.
  function showSent(text, stage) {
    if (stage === "done") {
      $("done-message").textContent = text;
      return;
    }
    const status = $("outbox-status");
    status.textContent = text;
    status.hidden = false;
  }

  return {
    $, announce, render, forgetSegment, checkedValue, showError, restoreAfterForm, showMute,
    showVoice, readVoice, showSaving, showSaveError, showDone, showSent,
  };
}
