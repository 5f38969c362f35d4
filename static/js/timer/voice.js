/* backtp session timer: the browser's speech synthesis (Web Speech API). Says the words
   speech.js chooses, in a voice of the page's language, at the rate and volume the
   person set. Where there is no speech synthesis, or no voice in the page's language,
   it says nothing and the tones and vibration carry the session alone. */

// `settings()` gives { on, rate, volume } as they are now.
export function createVoice(win, doc, settings) {
  const synth = win.speechSynthesis;
  const Utterance = win.SpeechSynthesisUtterance;
  const lang = (doc.documentElement.lang || "en").toLowerCase();
  const supported = !!(synth && Utterance);

  // The best voice for the page's language: its exact tag, then the same language; a
  // local voice before a network one (the phone may be offline on the floor).
  function chooseVoice() {
    let voices = [];
    try { voices = synth.getVoices() || []; } catch { voices = []; }
    const base = lang.split("-")[0];
    const fits = voices.filter((v) => {
      const tag = (v.lang || "").toLowerCase().replace("_", "-");
      return tag === lang || tag.split("-")[0] === base;
    });
    fits.sort((a, b) => rank(b) - rank(a));
    return { known: voices.length > 0, voice: fits[0] || null };
  }
  function rank(v) {
    const tag = (v.lang || "").toLowerCase().replace("_", "-");
    return (tag === lang ? 4 : 0) + (v.localService ? 2 : 0) + (v.default ? 1 : 0);
  }

  // Whether the voice can speak: on, supported, and not known to lack the language (an
  // empty list may fill in later, so it does not count as no voice).
  function available() {
    if (!supported) return false;
    const { known, voice } = chooseVoice();
    return !known || voice !== null;
  }
  const active = () => settings().on && available();

  // Says `text`; `interrupt` first stops whatever is still being said (words for a moment
  // already past). Without it, nothing is said over words still being spoken.
  function say(text, { interrupt = false } = {}) {
    if (!text || !active()) return false;
    try {
      if (interrupt) synth.cancel();
      else if (synth.speaking || synth.pending) return false;
      const utterance = new Utterance(text);
      const { voice } = chooseVoice();
      if (voice) utterance.voice = voice;
      utterance.lang = voice ? voice.lang : lang;
      utterance.rate = settings().rate;
      utterance.volume = settings().volume;
      synth.speak(utterance);
      return true;
    } catch {
      return false;
    }
  }

  function cancel() {
    if (!supported) return;
    try { synth.cancel(); } catch { /* nothing to stop */ }
  }

  // Calls `listener` when the list of voices changes (it fills in late on some browsers).
  function onVoices(listener) {
    if (supported && synth.addEventListener) synth.addEventListener("voiceschanged", listener);
  }

  return { supported, available, active, say, cancel, onVoices };
}
