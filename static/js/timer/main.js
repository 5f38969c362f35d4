/* backtp guided session timer: runs the plan step by step, keeps its state in localStorage
   (time is computed from timestamps, so a reload or a background tab resumes correctly)
   and posts the finished session to the journal, keeping it on the device when offline.
   This module wires the clock (clock.js), the storage and outbox (outbox.js) and the page
   (view.js) to the browser: events, timers, sound, vibration, the spoken cues (speech.js
   chooses the words, voice.js says them) and the screen wake lock. */

import * as clock from "./clock.js";
import {
  MUTE, VOICE, browserStorage, clearState, createOutbox, loadState, read, saveState, send, write,
} from "./outbox.js";
import * as speech from "./speech.js";
import { createVoice } from "./voice.js";
import { createView } from "./view.js";

const storage = browserStorage();

const planEl = document.getElementById("session-plan");
if (planEl) run(JSON.parse(planEl.textContent));

function run(plan) {
  const tl = clock.timeline(plan);
  const fresh = () => clock.freshState(plan, window.crypto.randomUUID());

  // This visitor's own state only: on a shared device, never another person's.
  let state = loadState(storage, plan.owners, plan.id);
  if (!clock.isUsable(state, plan)) state = fresh();

  function save(now = Date.now()) {
    saveState(storage, plan.owner, plan.id, clock.summarize(tl, state, now));
  }

  /* Sound, vibration, wake lock ------------------------------------------------------ */

  let audio = null;
  let muted = read(storage, MUTE, false) === true;
  function ensureAudio() {
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (!audio && Ctx) {
      try { audio = new Ctx(); } catch { audio = null; }
    }
    if (audio && audio.state === "suspended") audio.resume().catch(() => {});
  }
  function beep(high) {
    if (!muted && audio && audio.state === "running") {
      try {
        const t = audio.currentTime;
        const osc = audio.createOscillator();
        const gain = audio.createGain();
        osc.frequency.value = high ? 1046 : 784;
        gain.gain.setValueAtTime(0.0001, t);
        gain.gain.exponentialRampToValueAtTime(0.3, t + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.25);
        osc.connect(gain).connect(audio.destination);
        osc.start(t);
        osc.stop(t + 0.3);
      } catch { /* no sound is fine */ }
    }
    const active = navigator.userActivation ? navigator.userActivation.hasBeenActive : true;
    if (navigator.vibrate && active) {
      try { navigator.vibrate(high ? [120, 60, 120] : 150); } catch { /* ignore */ }
    }
  }

  let wakeLock = null;
  const isRunning = () => clock.isRunning(state);
  function lockScreen() {
    if (wakeLock || !("wakeLock" in navigator) || document.visibilityState !== "visible") return;
    navigator.wakeLock.request("screen").then((lock) => {
      wakeLock = lock;
      lock.addEventListener("release", () => { if (wakeLock === lock) wakeLock = null; });
      if (!isRunning()) unlockScreen();
    }).catch(() => { wakeLock = null; });
  }
  function unlockScreen() {
    if (wakeLock) {
      const lock = wakeLock;
      wakeLock = null;
      lock.release().catch(() => {});
    }
  }

  /* The voice ------------------------------------------------------------------------ */

  // Mute silences the voice too. The live region says a step only when the voice does not
  // (voiceSpeaks), so a screen reader user with the voice on never hears it twice.
  let voiceSettings = speech.settings(read(storage, VOICE, null));
  const voice = createVoice(window, document, () => voiceSettings);
  const voiceSpeaks = () => !muted && voice.active();
  let spokenSeg = null; // the segment whose entry was said (null: say the current one)
  let spokenLeft = 0; // ms left when the time cues were last looked at
  let introduced = -1; // the step the voice last introduced

  function say(text, interrupt) {
    if (!muted) voice.say(text, { interrupt });
  }

  // After each render: the words for entering a new segment, or a time cue within it.
  // `quiet` (a reload) takes the current segment as said.
  function speak(now, quiet) {
    if (state.stage !== "running") return;
    const at = clock.position(tl, state, now);
    if (state.seg !== spokenSeg) {
      if (at.paused && !quiet) return; // said on resuming
      const cue = speech.enterCue(tl, state.seg, introduced);
      introduced = quiet ? (at.phase === "rest" ? at.step + 1 : at.step) : cue.introduced;
      if (!quiet) say(cue.text, true);
      spokenSeg = state.seg;
      spokenLeft = at.left;
      return;
    }
    if (!at.paused) say(speech.dueCue(speech.timeCues(tl, state.seg), spokenLeft, at.left), false);
    spokenLeft = at.left;
  }

  /* The page ------------------------------------------------------------------------- */

  const view = createView(document, window, tl, beep, voiceSpeaks);
  const $ = view.$;
  const announce = view.announce;
  let lastStage = state.stage;
  function render(changed, now = Date.now()) {
    view.render(state, now, changed);
    speak(now, changed === false && lastStage === state.stage && spokenSeg === null);
    if (lastStage === "running" && state.stage === "after") say(speech.END_QUESTION, true);
    lastStage = state.stage;
  }

  /* Moving through the session ------------------------------------------------------- */

  // Skip or back: saves and shows where it landed, including the end of the session.
  function move(step) {
    const now = Date.now();
    const wasRunning = state.stage === "running";
    const moved = step(tl, state, now);
    const ended = wasRunning && state.stage !== "running";
    if (ended) unlockScreen();
    if (moved || ended) {
      save(now);
      render(true, now);
    }
  }
  const skip = () => move(clock.skip);
  const back = () => move(clock.back);

  function togglePause() {
    const now = Date.now();
    const result = clock.togglePause(tl, state, now);
    if (result === null) return;
    if (result === "finished") {
      unlockScreen();
      save(now);
      render(true, now);
      return;
    }
    if (result === "resumed") {
      lockScreen();
      announce("Resumed");
    } else {
      unlockScreen();
      voice.cancel();
      announce("Paused");
    }
    save(now);
    render(false, now);
  }

  function tick() {
    if (state.stage !== "running") return;
    const now = Date.now();
    const moved = clock.catchUp(tl, state, now);
    if (state.stage !== "running") unlockScreen();
    if (moved || state.runStart !== null) save(now);
    render(moved, now);
  }

  /* Saving --------------------------------------------------------------------------- */

  // The CSRF cookie is HttpOnly; the page carries the token instead.
  const csrfToken = () => $("timer").dataset.csrfToken || "";
  const sendLog = (log) => send((url, init) => window.fetch(url, init), plan.log_url, csrfToken(), log);
  const outbox = createOutbox(storage, sendLog, plan.owners);

  function flush() {
    outbox.flush().then((sent) => {
      if (sent) view.showSent(clock.sentText(sent), state.stage);
    });
  }

  function showDone(message) {
    const finished = state;
    state = fresh();
    clearState(storage, plan.owners, plan.id);
    view.forgetSegment();
    state.stage = "done";
    render(true);
    view.showDone(finished, message, plan.logged_in);
  }

  /* Events --------------------------------------------------------------------------- */

  $("before-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const pain = view.checkedValue("pain_before");
    view.showError("before-error", pain === null);
    if (pain === null) {
      document.querySelector("input[name=pain_before]").focus();
      return;
    }
    ensureAudio();
    const now = Date.now();
    state = fresh();
    clock.start(state, pain, now);
    view.forgetSegment();
    spokenSeg = null;
    introduced = -1;
    save();
    lockScreen();
    render(true);
    if (!voiceSpeaks()) announce(clock.startAnnouncement(plan, tl.segments[0]));
    beep(true);
  });

  $("after-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const pain = view.checkedValue("pain_after");
    view.showError("after-error", pain === null);
    if (pain === null) {
      document.querySelector("input[name=pain_after]").focus();
      return;
    }
    if ($("save").disabled) return;
    view.showSaving(true);
    state.painAfter = pain;
    state.note = $("note").value.slice(0, 2000);
    save();
    const log = { ...clock.buildLog(tl, state, Date.now()), owner: plan.owner };
    view.showSaveError(null);
    sendLog(log).then((result) => {
      view.showSaving(false);
      if (result === "saved") {
        showDone(plan.logged_in ? "Saved to your journal." : "Saved.");
      } else if (result === "queued") {
        outbox.queue(log);
        showDone("Saved on this device; it will be sent when you are back online.");
      } else {
        view.showSaveError(result);
      }
    });
  });

  $("note").addEventListener("input", () => {
    state.note = $("note").value.slice(0, 2000);
    save();
  });
  document.querySelectorAll("input[name=pain_after]").forEach((input) => {
    input.addEventListener("change", () => { state.painAfter = view.checkedValue("pain_after"); save(); });
  });
  document.querySelectorAll("input[name=reproduced]").forEach((input) => {
    input.addEventListener("change", () => {
      const seg = tl.segments[state.seg];
      if (seg && input.checked) {
        state.answers[seg.step] = input.value;
        save();
      }
    });
  });

  $("pause").addEventListener("click", () => { ensureAudio(); togglePause(); });
  // A tap anywhere on the display or the picture pauses or resumes: from the floor, the
  // whole screen is the button.
  ["run-display", "run-figures"].forEach((id) => {
    $(id).addEventListener("click", () => { ensureAudio(); togglePause(); });
  });
  $("skip").addEventListener("click", () => { ensureAudio(); skip(); });
  $("back").addEventListener("click", () => { ensureAudio(); back(); });
  $("again").addEventListener("click", () => {
    state = fresh();
    clearState(storage, plan.owners, plan.id);
    view.forgetSegment();
    $("outbox-status").hidden = true;
    render(true);
    $("before-title").focus();
  });

  $("mute").addEventListener("click", () => {
    muted = !muted;
    write(storage, MUTE, muted);
    ensureAudio();
    if (muted) voice.cancel();
    view.showMute(muted);
  });

  // Voice on or off, its speed and volume: kept on the device; a change says a sample.
  ["voice-on", "voice-rate", "voice-volume"].forEach((id) => {
    $(id).addEventListener("change", () => {
      voiceSettings = speech.settings(view.readVoice());
      write(storage, VOICE, voiceSettings);
      view.showVoice(voiceSettings, voice.available());
      if (voiceSettings.on) say("Voice on.", true);
      else voice.cancel();
    });
  });
  voice.onVoices(() => view.showVoice(voiceSettings, voice.available()));

  document.addEventListener("keydown", (event) => {
    if (state.stage !== "running" || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    const tag = target && target.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT" || (tag === "INPUT" && target.type !== "radio")) return;
    if (event.key === " " || event.code === "Space") {
      if (tag === "BUTTON" || tag === "A" || tag === "INPUT") return; // let Space press the focused control
      event.preventDefault();
      ensureAudio();
      togglePause();
    } else if (event.key === "ArrowRight" && tag !== "INPUT") {
      event.preventDefault();
      skip();
    } else if (event.key === "ArrowLeft" && tag !== "INPUT") {
      event.preventDefault();
      back();
    }
  });

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") {
      tick();
      if (isRunning()) lockScreen();
    }
  });
  window.addEventListener("online", flush);
  window.addEventListener("pagehide", () => { if (state.stage === "running") save(); });

  /* Start ---------------------------------------------------------------------------- */

  if (state.stage === "after") view.restoreAfterForm(state);
  if (state.stage === "done") state = fresh();
  view.showMute(muted);
  view.showVoice(voiceSettings, voice.available());
  if (state.stage === "running") clock.catchUp(tl, state, Date.now());
  save();
  render(false);
  if (isRunning()) lockScreen();
  window.setInterval(tick, 250);
  flush();
}
