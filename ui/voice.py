"""The kiosk's voice: plays the pre-rendered clip of each fixed sentence, and renders each sentence
with a value (a name, a fee, a date) at run time with espeak-ng (devices/speech), or Qt's
text-to-speech where espeak-ng is missing but the system has a Vietnamese voice. An ID number is
never said in full. Everything here is optional: with no audio device (a headless CI, a kiosk
whose speaker is unplugged) the voice still knows what it would say, and nothing fails."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Signal

from devices.speech.espeak import EspeakSpeech, SpeechError
from ui.voice_clips import ClipLibrary, Utterance
from ui.voice_prompts import VARIANTS, live_form, sentences, speech_safe

log = logging.getLogger(__name__)


def audio_available() -> bool:
    try:
        from PySide6.QtMultimedia import QMediaDevices

        return bool(QMediaDevices.audioOutputs())
    except ImportError:  # PySide6-Addons missing: a silent kiosk, not a broken one
        return False


class Voice(QObject):
    """One utterance at a time; a new one (or a button press) stops the old one."""

    started = Signal(str)  # the text of an utterance as it starts (tests, bench)
    # Each sentence of an utterance as it is planned: "clip" or "tts", and the sentence as said
    # (ID numbers masked). Emitted muted or not: it is what the kiosk says (the screenshot walk).
    uttered = Signal(str, str)

    def __init__(
        self,
        library: ClipLibrary | None = None,
        variant: str = "north",
        volume: float = 0.8,
        audio: bool | None = None,
        live_tts: bool = True,
        language: str = "vi",
    ) -> None:
        super().__init__()
        self.library = library or ClipLibrary()
        self.variant = variant
        self.language = language
        self.speech = EspeakSpeech(VARIANTS.get(variant, "vi")) if live_tts else None
        self.muted = False
        self.last_text = ""
        self.current: Utterance = []  # the whole plan of the last utterance
        self._queue: Utterance = []
        self._volume = volume
        self._live_tts_wanted = live_tts
        self._tts: object | None = None
        self._tts_checked = False
        self.player = None
        self.output = None
        if audio is None:
            audio = audio_available()
        if audio:
            from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

            self.output = QAudioOutput(self)
            self.output.setVolume(volume)
            self.player = QMediaPlayer(self)
            self.player.setAudioOutput(self.output)
            self.player.mediaStatusChanged.connect(self._on_status)

    # --- what screens call -------------------------------------------------------------------

    def say(self, text: str) -> None:
        self.stop()
        self.last_text = text
        spoken = speech_safe(text, self.language)
        self.current = self.library.plan(spoken, self.variant) if text else []
        self._queue = list(self.current)
        self.started.emit(text)
        for item, sentence in zip(self.current, sentences(spoken), strict=True):
            self.uttered.emit("clip" if isinstance(item, Path) else "tts", sentence)
        if not self.muted:
            self._play_next()

    def replay(self) -> None:
        self.say(self.last_text)

    def stop(self) -> None:
        self._queue = []
        if self.player is not None:
            self.player.stop()
        if self._tts is not None:
            self._tts.stop()  # type: ignore[attr-defined]

    def set_muted(self, muted: bool) -> None:
        self.muted = muted
        if muted:
            self.stop()

    @property
    def volume(self) -> float:
        return self._volume

    def set_volume(self, volume: float) -> None:
        self._volume = min(max(volume, 0.0), 1.0)
        if self.output is not None:
            self.output.setVolume(self._volume)
        if self._tts is not None:
            self._tts.setVolume(self._volume)  # type: ignore[attr-defined]

    # --- playback ----------------------------------------------------------------------------

    def _play_next(self) -> None:
        while self._queue:
            item = self._queue.pop(0)
            if isinstance(item, Path):
                if self.player is not None:
                    self.player.setSource(QUrl.fromLocalFile(str(item)))
                    self.player.play()
                    return
            elif self.player is not None and (rendered := self._render(item)) is not None:
                self.player.setSource(QUrl.fromLocalFile(str(rendered)))
                self.player.play()
                return
            elif (tts := self._live_tts()) is not None:
                tts.say(item)  # type: ignore[attr-defined]
                return
            # no device or no Vietnamese voice: the sentence stays on screen, unspoken

    def _on_status(self, status: object) -> None:
        from PySide6.QtMultimedia import QMediaPlayer

        if status in (QMediaPlayer.MediaStatus.EndOfMedia, QMediaPlayer.MediaStatus.InvalidMedia):
            self._play_next()

    def _on_tts_state(self, state: object) -> None:
        from PySide6.QtTextToSpeech import QTextToSpeech

        if state == QTextToSpeech.State.Ready:
            self._play_next()

    def _render(self, sentence: str) -> Path | None:
        """A sentence with a value, rendered by espeak-ng (cached; ~50 ms for a short one)."""
        if self.speech is None or not self.speech.available():
            return None
        try:
            return self.speech.render(live_form(sentence))
        except SpeechError as exc:
            log.warning("live speech failed (%s): the sentence stays on screen", exc.code)
            return None

    def _live_tts(self) -> object | None:
        """Qt TextToSpeech, only if the system has a Vietnamese voice (checked once)."""
        if self._tts_checked or not self._live_tts_wanted or self.player is None:
            return self._tts
        self._tts_checked = True
        try:
            from PySide6.QtCore import QLocale
            from PySide6.QtTextToSpeech import QTextToSpeech
        except ImportError:
            return None
        engines = [e for e in QTextToSpeech.availableEngines() if e != "mock"]
        for engine in engines:
            tts = QTextToSpeech(engine, self)
            vietnamese = [
                loc
                for loc in tts.availableLocales()
                if loc.language() == QLocale.Language.Vietnamese
            ]
            if vietnamese:
                tts.setLocale(vietnamese[0])
                tts.setVolume(self._volume)
                tts.stateChanged.connect(self._on_tts_state)
                self._tts = tts
                log.info("live speech: %s", engine)
                return tts
            tts.deleteLater()
        log.info("no Vietnamese voice for live speech: variable sentences are shown only")
        return None
