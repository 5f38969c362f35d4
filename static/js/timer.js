/* backtp guided session timer: runs the plan step by step, keeps its state in localStorage
   (time is computed from timestamps, so a reload or a background tab resumes correctly)
   and posts the finished session to the journal, keeping it on the device when offline. */
(function () {
  "use strict";

  var planEl = document.getElementById("session-plan");
  if (!planEl) return;
  var plan = JSON.parse(planEl.textContent);
  var KEY = "backtp:timer:" + plan.id;
  var OUTBOX = "backtp:outbox";
  var MUTE = "backtp:timer:muted";
  var RELEASE = 5;
  var SWITCH = 5;
  var ASK_LAST = 20; // ask "did it reproduce your pain?" in the step's last seconds
  var SIDE = { left: "left side", right: "right side", both: "both sides" };

  function $(id) { return document.getElementById(id); }

  /* Storage ---------------------------------------------------------------------------- */

  function read(key, fallback) {
    try {
      var raw = window.localStorage.getItem(key);
      return raw ? JSON.parse(raw) : fallback;
    } catch (e) {
      return fallback;
    }
  }
  function write(key, value) {
    try {
      if (value === null) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, JSON.stringify(value));
    } catch (e) { /* private mode or full: the timer still runs */ }
  }

  /* The plan as a flat list of timed segments ------------------------------------------ */

  var segments = [];
  plan.steps.forEach(function (step, s) {
    var counted = !step.duration_seconds && step.hold_seconds;
    var holds = counted ? Math.max(1, step.repetitions || 1) : 1;
    var work = counted ? step.hold_seconds : step.duration_seconds || 30;
    step.passes.forEach(function (side, p) {
      if (p > 0) segments.push({ step: s, pass: p, hold: 0, holds: holds, phase: "switch", seconds: SWITCH, side: side });
      for (var h = 0; h < holds; h++) {
        if (h > 0) segments.push({ step: s, pass: p, hold: h, holds: holds, phase: "release", seconds: RELEASE, side: side });
        segments.push({ step: s, pass: p, hold: h, holds: holds, phase: "work", seconds: work, counted: !!counted, side: side });
      }
    });
    if (s < plan.steps.length - 1 && step.rest_seconds > 0) {
      segments.push({ step: s, pass: step.passes.length - 1, hold: holds - 1, holds: holds, phase: "rest", seconds: step.rest_seconds, side: step.side });
    }
  });
  var planned = plan.steps.map(function (step, s) {
    return segments.reduce(function (sum, seg) {
      return seg.step === s && seg.phase === "work" ? sum + seg.seconds : sum;
    }, 0);
  });
  var lastWork = plan.steps.map(function (_, s) {
    var last = -1;
    segments.forEach(function (seg, i) { if (seg.step === s && seg.phase === "work") last = i; });
    return last;
  });
  function firstOf(s) {
    for (var i = 0; i < segments.length; i++) if (segments[i].step === s) return i;
    return segments.length;
  }

  /* State ------------------------------------------------------------------------------ */

  function fresh() {
    return {
      stage: "before",
      clientId: window.crypto.randomUUID(),
      startedAt: null,
      finishedAt: null,
      painBefore: null,
      painAfter: null,
      note: "",
      seg: 0,
      elapsed: 0, // ms run in the current segment before runStart
      runStart: null, // Date.now() when the current run began; null = paused
      done: plan.steps.map(function () { return 0; }), // ms of work actually run per step
      finished: plan.steps.map(function () { return false; }),
      skipped: plan.steps.map(function () { return false; }),
      answers: plan.steps.map(function () { return ""; }),
    };
  }
  var state = read(KEY, null);
  if (!state || !state.clientId || !Array.isArray(state.done) || state.done.length !== plan.steps.length) {
    state = fresh();
  }

  function segElapsed(now) {
    return state.elapsed + (state.runStart === null ? 0 : now - state.runStart);
  }
  function remaining(now) {
    var seg = segments[state.seg];
    return seg ? Math.max(0, seg.seconds * 1000 - segElapsed(now)) : 0;
  }
  function save() {
    var seg = segments[state.seg];
    if (seg) {
      // Readable summary of where the session is, alongside the raw timestamps.
      state.step = seg.step;
      state.pass = seg.pass;
      state.hold = seg.hold;
      state.phase = seg.phase;
      state.remaining = Math.round(remaining(Date.now()) / 1000);
    }
    write(KEY, state);
  }

  /* Sound, vibration, wake lock -------------------------------------------------------- */

  var audio = null;
  var muted = read(MUTE, false) === true;
  function ensureAudio() {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!audio && Ctx) {
      try { audio = new Ctx(); } catch (e) { audio = null; }
    }
    if (audio && audio.state === "suspended") audio.resume().catch(function () {});
  }
  function beep(high) {
    if (!muted && audio && audio.state === "running") {
      try {
        var t = audio.currentTime;
        var osc = audio.createOscillator();
        var gain = audio.createGain();
        osc.frequency.value = high ? 1046 : 784;
        gain.gain.setValueAtTime(0.0001, t);
        gain.gain.exponentialRampToValueAtTime(0.3, t + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.25);
        osc.connect(gain).connect(audio.destination);
        osc.start(t);
        osc.stop(t + 0.3);
      } catch (e) { /* no sound is fine */ }
    }
    var active = navigator.userActivation ? navigator.userActivation.hasBeenActive : true;
    if (navigator.vibrate && active) {
      try { navigator.vibrate(high ? [120, 60, 120] : 150); } catch (e) { /* ignore */ }
    }
  }

  var wakeLock = null;
  function lockScreen() {
    if (wakeLock || !("wakeLock" in navigator) || document.visibilityState !== "visible") return;
    navigator.wakeLock.request("screen").then(function (lock) {
      wakeLock = lock;
      lock.addEventListener("release", function () { if (wakeLock === lock) wakeLock = null; });
      if (!isRunning()) unlockScreen();
    }).catch(function () { wakeLock = null; });
  }
  function unlockScreen() {
    if (wakeLock) {
      var lock = wakeLock;
      wakeLock = null;
      lock.release().catch(function () {});
    }
  }
  function isRunning() { return state.stage === "running" && state.runStart !== null; }

  /* Moving through the session --------------------------------------------------------- */

  function leaveSegment(now, completedNaturally) {
    var seg = segments[state.seg];
    if (seg && seg.phase === "work") {
      var ran = Math.min(seg.seconds * 1000, segElapsed(now));
      state.done[seg.step] += ran;
      if (completedNaturally && state.seg === lastWork[seg.step]) state.finished[seg.step] = true;
    }
  }
  function enter(index, now, carry) {
    state.seg = index;
    state.elapsed = 0;
    state.runStart = state.runStart === null ? null : now - (carry || 0);
    if (index >= segments.length) finish(now);
  }
  function finish(now) {
    state.stage = "after";
    state.runStart = null;
    state.elapsed = 0;
    state.finishedAt = new Date(now).toISOString();
    unlockScreen();
  }

  // Advance past every segment whose time is up (a background tab or a reload may owe several).
  function catchUp(now) {
    var moved = false;
    while (state.stage === "running" && state.runStart !== null) {
      var seg = segments[state.seg];
      var over = segElapsed(now) - seg.seconds * 1000;
      if (over < 0) break;
      leaveSegment(now, true);
      enter(state.seg + 1, now, over);
      moved = true;
    }
    return moved;
  }

  function jumpTo(index) {
    var now = Date.now();
    catchUp(now);
    if (state.stage !== "running") return;
    leaveSegment(now, false);
    enter(index, now, 0);
    save();
    render(true);
  }
  function skip() {
    var seg = segments[state.seg];
    if (!seg) return;
    if (seg.phase !== "rest" && !state.finished[seg.step]) state.skipped[seg.step] = true;
    var next = seg.phase === "rest" ? state.seg + 1 : firstOf(seg.step + 1);
    jumpTo(next);
  }
  function back() {
    var seg = segments[state.seg];
    if (!seg) return;
    var target = seg.phase === "rest" ? seg.step : Math.max(0, seg.step - 1);
    if (seg.phase !== "rest" && segElapsed(Date.now()) > 3000 && state.seg === firstOf(seg.step)) {
      target = seg.step; // a few seconds into a step: go back to its start, as a music player does
    }
    state.skipped[target] = false;
    state.finished[target] = false;
    jumpTo(firstOf(target));
  }
  function togglePause() {
    if (state.stage !== "running") return;
    var now = Date.now();
    catchUp(now);
    if (state.stage !== "running") { save(); render(true); return; }
    if (state.runStart === null) {
      state.runStart = now;
      lockScreen();
      announce("Resumed");
    } else {
      state.elapsed = segElapsed(now);
      state.runStart = null;
      unlockScreen();
      announce("Paused");
    }
    save();
    render(false);
  }

  /* Rendering -------------------------------------------------------------------------- */

  var lastSeg = null;
  var lastStage = null;
  var announcer = $("announce");
  function announce(text) {
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 50);
  }
  function clock(ms) {
    var total = Math.ceil(ms / 1000);
    var m = Math.floor(total / 60);
    var s = total % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }
  function phaseText(seg) {
    var step = plan.steps[seg.step];
    if (seg.phase === "switch") return "Switch sides";
    if (seg.phase === "release") return "Release and breathe";
    if (seg.phase === "rest") {
      var next = plan.steps[seg.step + 1];
      return "Rest" + (next ? ". Next: " + next.name : "");
    }
    return seg.counted ? "Press and hold" : step.tool === "Hands" ? "Work the spot" : "Press and work the spot";
  }
  function countText(seg) {
    var step = plan.steps[seg.step];
    var parts = [];
    if (seg.counted && seg.holds > 1 && seg.phase !== "rest") parts.push("Hold " + (seg.hold + 1) + " of " + seg.holds);
    if (step.passes.length > 1 && seg.phase !== "rest") parts.push("Side " + (seg.pass + 1) + " of " + step.passes.length);
    return parts.join(" · ");
  }
  function sideText(seg) {
    if (seg.phase === "rest") return "Rest";
    return "On your " + SIDE[seg.side];
  }
  function showStage(name) {
    ["before", "run", "after", "done"].forEach(function (stage) {
      $("stage-" + stage).hidden = stage !== name;
    });
  }
  function fillStep(s) {
    var step = plan.steps[s];
    $("run-title").textContent = step.name;
    $("run-tool").textContent = step.tool;
    $("run-position").textContent = step.position;
    $("run-dose").textContent = step.dose;
    $("run-link").href = step.url;
    var list = $("run-instructions");
    list.textContent = "";
    step.instructions.forEach(function (text) {
      var li = document.createElement("li");
      li.textContent = text;
      list.appendChild(li);
    });
    var answer = state.answers[s];
    document.querySelectorAll("input[name=reproduced]").forEach(function (input) {
      input.checked = input.value === answer;
    });
  }

  function render(changed) {
    var stage = state.stage === "running" ? "run" : state.stage;
    if (stage !== lastStage) {
      showStage(stage);
      if (lastStage !== null) {
        var heading = $("stage-" + stage).querySelector("h1");
        if (heading) heading.focus({ preventScroll: false });
      }
      if (stage === "after") beep(true);
      lastStage = stage;
    }
    if (stage !== "run") return;
    var now = Date.now();
    var seg = segments[state.seg];
    var step = plan.steps[seg.step];
    if (state.seg !== lastSeg) {
      var newStep = lastSeg === null || segments[lastSeg] === undefined || segments[lastSeg].step !== seg.step;
      if (newStep) fillStep(seg.step);
      $("run-display").dataset.phase = seg.phase;
      $("run-phase").textContent = phaseText(seg);
      var switching = seg.phase === "switch";
      $("run-switch").hidden = !switching;
      $("run-switch").textContent = switching ? "Switch to your " + SIDE[seg.side] : "";
      $("run-count").textContent = countText(seg);
      $("run-side").textContent = sideText(seg);
      $("run-progress-label").textContent = "Step " + (seg.step + 1) + " of " + plan.steps.length;
      if (lastSeg !== null && changed !== false) {
        beep(seg.phase === "work" || seg.phase === "switch");
        var words = switching ? "Switch to your " + SIDE[seg.side] : seg.phase === "work"
          ? step.name + ". " + (countText(seg) || sideText(seg)) : phaseText(seg);
        announce(words);
      }
      lastSeg = state.seg;
    }
    var left = remaining(now);
    $("run-clock").textContent = clock(left);
    $("run-progress").value = (state.seg + 1 - left / (seg.seconds * 1000)) / segments.length;
    var paused = state.runStart === null;
    $("run-paused").hidden = !paused;
    $("run-display").classList.toggle("is-paused", paused);
    $("pause").textContent = paused ? "Resume" : "Pause";
    $("pause").setAttribute("aria-pressed", paused ? "true" : "false");
    var last = lastWork[seg.step];
    var asking = seg.phase === "rest" || state.seg > last ||
      (state.seg === last && left <= ASK_LAST * 1000) || state.answers[seg.step] !== "";
    $("reproduce").hidden = !asking;
  }

  function tick() {
    if (state.stage !== "running") return;
    var moved = catchUp(Date.now());
    if (moved || state.runStart !== null) save();
    render(moved);
  }

  /* Saving ----------------------------------------------------------------------------- */

  // The CSRF cookie is HttpOnly; the page carries the token instead.
  function csrfToken() {
    return $("timer").dataset.csrfToken || "";
  }
  function buildLog() {
    return {
      id: state.clientId,
      routine: plan.routine || "",
      started_at: state.startedAt,
      finished_at: state.finishedAt || new Date().toISOString(),
      pain_before: state.painBefore,
      pain_after: state.painAfter,
      note: state.note || "",
      steps: plan.steps.map(function (step, s) {
        return {
          technique: step.technique,
          side: step.side,
          planned_seconds: planned[s],
          done_seconds: Math.min(24 * 3600, Math.round(state.done[s] / 1000)),
          completed: state.finished[s] && !state.skipped[s],
          reproduced: state.answers[s] || "",
        };
      }),
    };
  }
  // Resolves "saved", "queued" (network, server or token trouble) or an error message.
  function send(log) {
    return window.fetch(plan.log_url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(log),
    }).then(function (response) {
      if (response.status === 200 || response.status === 201) return "saved";
      // Server trouble, a missing CSRF cookie or throttling: keep it and try again later.
      // Only a refusal of the log itself (400 invalid, 409 id taken) is final.
      if (response.status >= 500 || response.status === 403 || response.status === 429) return "queued";
      return response.json().then(function (data) {
        return (data && data.error) || "The session could not be saved (" + response.status + ").";
      }, function () { return "The session could not be saved (" + response.status + ")."; });
    }, function () { return "queued"; });
  }
  function queue(log) {
    var box = read(OUTBOX, []);
    if (!Array.isArray(box)) box = [];
    box = box.filter(function (item) { return item && item.id !== log.id; });
    box.push(log);
    write(OUTBOX, box);
  }
  var flushing = false;
  function flush() {
    var box = read(OUTBOX, []);
    if (flushing || !Array.isArray(box) || !box.length) return;
    flushing = true;
    var sent = 0;
    var chain = Promise.resolve();
    box.forEach(function (log) {
      chain = chain.then(function () {
        return send(log).then(function (result) {
          if (result === "queued") return;
          // Saved, or refused for good: either way it leaves the outbox.
          var rest = read(OUTBOX, []).filter(function (item) { return item && item.id !== log.id; });
          write(OUTBOX, rest.length ? rest : null);
          if (result === "saved") sent += 1;
        });
      });
    });
    chain.then(function () {
      flushing = false;
      var status = $("outbox-status");
      if (sent) {
        status.textContent = sent === 1 ? "Your session saved on this device has now been sent."
          : sent + " sessions saved on this device have now been sent.";
        status.hidden = false;
        var done = $("done-message");
        if (state.stage === "done" && done) done.textContent = "Saved. It has been sent to your journal.";
      }
    });
  }

  function showDone(message) {
    state = fresh();
    write(KEY, null);
    lastSeg = null;
    $("done-message").textContent = message;
    $("done-invite").hidden = plan.logged_in;
    state.stage = "done";
    render(true);
  }

  /* Events ----------------------------------------------------------------------------- */

  function checkedValue(name) {
    var input = document.querySelector("input[name=" + name + "]:checked");
    return input ? parseInt(input.value, 10) : null;
  }
  // Shows or hides a form's "choose a number" error and ties it to the scale, so a
  // screen reader reads it with the question (a hidden error is never read).
  function showError(id, show) {
    var error = $(id);
    var scale = error.parentNode.querySelector(".pain-scale");
    error.hidden = !show;
    if (show) scale.setAttribute("aria-describedby", id);
    else scale.removeAttribute("aria-describedby");
  }

  $("before-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var pain = checkedValue("pain_before");
    showError("before-error", pain === null);
    if (pain === null) {
      document.querySelector("input[name=pain_before]").focus();
      return;
    }
    ensureAudio();
    var now = Date.now();
    state = fresh();
    state.stage = "running";
    state.painBefore = pain;
    state.startedAt = new Date(now).toISOString();
    state.runStart = now;
    lastSeg = null;
    save();
    lockScreen();
    render(true);
    var first = segments[0];
    announce(plan.steps[first.step].name + ". " + (countText(first) || sideText(first)));
    beep(true);
  });

  $("after-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var pain = checkedValue("pain_after");
    showError("after-error", pain === null);
    if (pain === null) {
      document.querySelector("input[name=pain_after]").focus();
      return;
    }
    var button = $("save");
    if (button.disabled) return;
    button.disabled = true;
    button.textContent = "Saving…";
    state.painAfter = pain;
    state.note = $("note").value.slice(0, 2000);
    save();
    var log = buildLog();
    $("save-error").hidden = true;
    send(log).then(function (result) {
      button.disabled = false;
      button.textContent = "Save";
      if (result === "saved") {
        showDone(plan.logged_in ? "Saved to your journal." : "Saved.");
      } else if (result === "queued") {
        queue(log);
        showDone("Saved on this device; it will be sent when you are back online.");
      } else {
        $("save-error").textContent = result;
        $("save-error").hidden = false;
      }
    });
  });

  $("note").addEventListener("input", function () {
    state.note = $("note").value.slice(0, 2000);
    save();
  });
  document.querySelectorAll("input[name=pain_after]").forEach(function (input) {
    input.addEventListener("change", function () { state.painAfter = checkedValue("pain_after"); save(); });
  });
  document.querySelectorAll("input[name=reproduced]").forEach(function (input) {
    input.addEventListener("change", function () {
      var seg = segments[state.seg];
      if (seg && input.checked) {
        state.answers[seg.step] = input.value;
        save();
      }
    });
  });

  $("pause").addEventListener("click", function () { ensureAudio(); togglePause(); });
  $("skip").addEventListener("click", function () { ensureAudio(); skip(); });
  $("back").addEventListener("click", function () { ensureAudio(); back(); });
  $("again").addEventListener("click", function () {
    state = fresh();
    write(KEY, null);
    lastSeg = null;
    $("outbox-status").hidden = true;
    render(true);
    $("before-title").focus();
  });

  function showMute() {
    $("mute").setAttribute("aria-pressed", muted ? "true" : "false");
  }
  $("mute").addEventListener("click", function () {
    muted = !muted;
    write(MUTE, muted);
    ensureAudio();
    showMute();
  });

  document.addEventListener("keydown", function (event) {
    if (state.stage !== "running" || event.altKey || event.ctrlKey || event.metaKey) return;
    var target = event.target;
    var tag = target && target.tagName;
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

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      tick();
      if (isRunning()) lockScreen();
    }
  });
  window.addEventListener("online", flush);
  window.addEventListener("pagehide", function () { if (state.stage === "running") save(); });

  /* Start ------------------------------------------------------------------------------ */

  if (state.stage === "after") {
    if (state.painAfter !== null) {
      var input = document.querySelector("input[name=pain_after][value='" + state.painAfter + "']");
      if (input) input.checked = true;
    }
    $("note").value = state.note || "";
  }
  if (state.stage === "done") state = fresh();
  showMute();
  if (state.stage === "running") catchUp(Date.now());
  save();
  render(false);
  if (isRunning()) lockScreen();
  window.setInterval(tick, 250);
  flush();
})();
