"""kiosk.toml: loading and validation.

Each table is a frozen dataclass; a field's metadata holds its validator and the one-line
description of what is allowed. Validation is generic: an unknown table or key, a value of the
wrong type, or a value the validator refuses raises `ConfigError` naming the key, the value and
what is allowed. The built-in defaults serve demo mode.

To add a key: add a field (with a default) to its table's dataclass, and `allowed(...)` metadata
when the type alone does not say what is allowed.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.texts import languages

# The languages with a data file in kiosk/texts/ (a new language is a new file there).
LANGUAGES = languages()

CONFIG_ENV = "KIOSK_CONFIG"
DATA_DIR_ENV = "KIOSK_DATA_DIR"


class ConfigError(ValueError):
    """The configuration is invalid; the message is one line naming the key and what is allowed."""


Validator = Callable[[Any], bool]


DEFAULT_SENDERS = 3  # [outbox] senders: small, the portal is one office's counterpart


def allowed(check: Validator, description: str | Callable[[], str]) -> dict[str, Any]:
    """Field metadata; a callable `description` is asked only when a value is refused."""
    return {"check": check, "allowed": description}


def _matches(pattern: str) -> Validator:
    compiled = re.compile(pattern)
    return lambda value: isinstance(value, str) and compiled.fullmatch(value) is not None


def _between(low: float, high: float) -> Validator:
    return lambda value: low <= value <= high


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # NUL and the other control characters


def _url_ok(value: Any, schemes: re.Pattern[str], host_needed: bool) -> bool:
    """A URL with a scheme `schemes` matches, no control characters (nor spaces in a host's
    URL), and a port (if any) from 1 to 65535."""
    from urllib.parse import urlsplit

    if not isinstance(value, str) or _CONTROL.search(value):
        return False
    if host_needed and " " in value:
        return False
    try:
        parts = urlsplit(value)
        port = parts.port  # ValueError past 65535 or not a number
    except ValueError:
        return False
    if not schemes.fullmatch(parts.scheme) or "://" not in value:
        return False
    if host_needed and not parts.hostname:
        return False
    return port is None or port > 0


_HTTP = re.compile(r"https?")
_DATABASE = re.compile(r"[a-z][a-z0-9]*(\+[a-z0-9_]+)?")


def _portal_url_ok(value: Any) -> bool:
    return value == "" or _url_ok(value, _HTTP, host_needed=True)


def _database_url_ok(value: Any) -> bool:
    return value == "" or _url_ok(value, _DATABASE, host_needed=False)


# The device registries own the spec grammars; they are imported only when a value is checked,
# so loading the configuration does not load the device drivers' modules.


def _card_reader_ok(value: Any) -> bool:
    from devices.card.transports import registry

    try:
        registry.parse_spec(value)
    except registry.ReaderSpecError:
        return False
    return True


def _card_readers_allowed() -> str:
    from devices.card.transports import registry

    return registry.describe_allowed()


def _printer_ok(value: Any) -> bool:
    from devices.printer import registry
    from devices.printer.errors import PrinterSpecError

    try:
        registry.parse_spec(value)
    except PrinterSpecError:
        return False
    return True


def _printers_allowed() -> str:
    from devices.printer import registry

    return registry.describe_allowed()


@dataclass(frozen=True)
class OfficeConfig:
    name: str = "UBND xã Demo"
    unit_code: str = field(
        default="000.00.12.H56",
        metadata=allowed(
            _matches(r"\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}"),
            "a unit code like 000.00.12.H56 (V1V2V3.Z1Z2.Y1Y2.MX1X2)",
        ),
    )
    address: str = "Xã Demo, Tỉnh Demo"
    # The commune's villages / hamlets, offered as buttons for an address (docs/ui.md §13).
    villages: str = field(
        default="Thôn 1; Thôn 2; Thôn 3; Thôn Đông; Thôn Tây; Xóm Chợ",
        metadata=allowed(
            lambda v: isinstance(v, str) and not _CONTROL.search(v) and len(v) <= 2000,
            "village or hamlet names separated by ';' (empty: addresses on the keyboard)",
        ),
    )
    fee_bank_bin: str = field(
        default="970415",
        metadata=allowed(_matches(r"\d{6}"), "the 6-digit NAPAS BIN of the bank receiving fees"),
    )
    fee_account: str = field(
        default="KIOSKDEMO0001",
        metadata=allowed(
            _matches(r"[0-9A-Za-z]{1,19}"), "the fee account number: 1 to 19 letters or digits"
        ),
    )
    fee_counter: str = field(
        default="Quầy Một cửa",
        metadata=allowed(lambda v: isinstance(v, str) and v.strip() != "", "the counter's name"),
    )


@dataclass(frozen=True)
class UiConfig:
    language: str = field(
        default="vi", metadata=allowed(lambda v: v in LANGUAGES, " or ".join(LANGUAGES))
    )
    idle_timeout_s: int = field(
        default=90, metadata=allowed(_between(15, 3600), "whole seconds from 15 to 3600")
    )
    idle_countdown_s: int = field(
        default=20, metadata=allowed(_between(5, 120), "whole seconds from 5 to 120")
    )
    fullscreen: bool = True
    address_form: str = field(
        default="Bác",
        metadata=allowed(
            lambda v: v in ("Bác", "Anh/Chị", "Quý khách"), "Bác, Anh/Chị or Quý khách"
        ),
    )
    animations: bool = True
    voice: str = field(
        default="north",
        metadata=allowed(lambda v: v in ("north", "south"), "north or south (voice variant)"),
    )
    volume: int = field(default=80, metadata=allowed(_between(0, 100), "0 to 100 (per cent)"))
    staff_pin_taps: int = field(
        default=5, metadata=allowed(_between(3, 10), "3 to 10 taps in the top-left corner")
    )


@dataclass(frozen=True)
class DevicesConfig:
    card_reader: str = field(
        default="simulator",
        metadata=allowed(_card_reader_ok, _card_readers_allowed),
    )
    camera: int | str = field(
        default="sample",
        metadata=allowed(
            lambda v: (isinstance(v, int) and v >= 0) or (isinstance(v, str) and v != ""),
            "a camera index (0, 1, …), a video file or folder path, or sample",
        ),
    )
    # dlib landmark predictor for face alignment and liveness; 68 is trained on iBUG 300-W, whose
    # licence excludes commercial use (devices/camera/MODELS.md)
    face_landmarks: int = field(
        default=5,
        metadata=allowed(
            lambda v: v in (5, 68),
            "5 (default, licence-free) or 68 (non-commercial use only)",
        ),
    )
    printer: str = field(
        default="pdf:",
        metadata=allowed(_printer_ok, _printers_allowed),
    )


@dataclass(frozen=True)
class StorageConfig:
    database_url: str = field(  # empty: SQLite file kiosk.db in data_dir
        default="",
        metadata=allowed(
            _database_url_ok,
            "empty (SQLite kiosk.db in data_dir) or an SQLAlchemy URL such as "
            "sqlite:////var/lib/kiosk/kiosk.db or postgresql://user@host:5432/kiosk",
        ),
    )
    data_dir: str = ""  # empty: the platform's per-user data folder


@dataclass(frozen=True)
class PortalConfig:
    url: str = field(
        default="",
        metadata=allowed(
            _portal_url_ok,
            "empty (demo: a local portal is started) or an http(s) URL with a host, a port from "
            "1 to 65535 if any, and no spaces or control characters",
        ),
    )
    timeout_s: float = field(
        default=10.0, metadata=allowed(_between(0.5, 120), "seconds from 0.5 to 120")
    )
    retries: int = field(default=4, metadata=allowed(_between(1, 10), "tries per request, 1 to 10"))
    deadline_s: float = field(  # a whole request: connect, upload, answer and every retry
        default=60.0, metadata=allowed(_between(1, 600), "seconds from 1 to 600")
    )
    max_response_bytes: int = field(  # reading an answer stops past this size
        default=1_048_576,
        metadata=allowed(_between(4096, 67_108_864), "bytes from 4096 to 67108864 (64 MiB)"),
    )
    client_id: str = ""  # OAuth2 client credentials; empty with an empty url: the demo client
    client_secret: str = ""
    client_cert: str = ""  # PEM file: TLS client-certificate authentication instead of OAuth2
    client_key: str = ""  # PEM key of client_cert (empty: inside client_cert)
    ca_bundle: str = ""  # PEM CA bundle for the portal's certificate (empty: system CAs)


@dataclass(frozen=True)
class OutboxConfig:
    """Offline guardrails and the sync worker (MOSIP-style: hard limits when offline too long)."""

    soft_limit_count: int = field(
        default=20, metadata=allowed(_between(1, 100000), "unsent dossiers, 1 to 100000")
    )
    soft_limit_minutes: int = field(
        default=60, metadata=allowed(_between(1, 100000), "minutes the oldest waits, 1 to 100000")
    )
    hard_limit_count: int = field(
        default=500, metadata=allowed(_between(1, 100000), "unsent dossiers, 1 to 100000")
    )
    hard_limit_hours: int = field(
        default=72, metadata=allowed(_between(1, 10000), "hours the oldest waits, 1 to 10000")
    )
    sync_interval_s: float = field(
        default=5.0, metadata=allowed(_between(0.05, 3600), "seconds from 0.05 to 3600")
    )
    submit_wait_s: float = field(
        default=3.0,
        metadata=allowed(_between(0, 60), "seconds a citizen waits for the portal code, 0 to 60"),
    )
    senders: int = field(  # dossiers sent at once: a portal stalling on one holds only one sender
        default=DEFAULT_SENDERS,
        metadata=allowed(_between(1, 8), "parallel portal senders, whole numbers from 1 to 8"),
    )


@dataclass(frozen=True)
class SecurityConfig:
    trust_store: str = ""  # empty: <data_dir>/trust
    machine_key: str = field(
        default="file",
        metadata=allowed(
            lambda v: v in ("file", "tpm2", "dpapi", "fleet"),
            "file (a root-only key file: demo only), tpm2 (sealed to this PC's TPM 2.0, Linux), "
            "dpapi (Windows data protection) or fleet (released at start by the [fleet] service)",
        ),
    )
    machine_key_file: str = ""  # empty: <data_dir>/keys/machine.key (tpm2: machine.tpm2)
    retention_days: int = field(
        default=90, metadata=allowed(_between(1, 3650), "whole days from 1 to 3650")
    )
    draft_ttl_minutes: int = field(
        default=30, metadata=allowed(_between(1, 1440), "whole minutes from 1 to 1440")
    )
    print_queue_days: int = field(  # printed receipts kept (sealed) for a reprint, then deleted
        default=7, metadata=allowed(_between(1, 3650), "whole days from 1 to 3650")
    )
    staff_lockout_minutes: int = field(
        default=15, metadata=allowed(_between(1, 1440), "whole minutes from 1 to 1440")
    )
    trust_expiry_warn_days: int = field(
        default=60, metadata=allowed(_between(1, 3650), "whole days from 1 to 3650")
    )
    log_dir: str = ""  # empty: <data_dir>/logs


def _update_key_ok(value: Any) -> bool:
    """Empty, or base64 of a raw 32-byte Ed25519 public key."""
    import base64
    import binascii

    if value == "":
        return True
    try:
        return isinstance(value, str) and len(base64.b64decode(value, validate=True)) == 32
    except (binascii.Error, ValueError):
        return False


@dataclass(frozen=True)
class FleetConfig:
    """The province's fleet service (docs/fleet_link.md): heartbeats, help requests and audit
    anchors go there; signed catalogue and trust updates come back."""

    url: str = field(  # empty: no fleet service (the kiosk stands alone)
        default="",
        metadata=allowed(
            _portal_url_ok,
            "empty (no fleet service) or an http(s) URL with a host, a port from 1 to 65535 if "
            "any, and no spaces or control characters",
        ),
    )
    kiosk_id: str = field(  # both printed by `kiosk fleet admin enroll` for this kiosk
        default="",
        metadata=allowed(
            _matches(r"[A-Za-z0-9._:-]{0,64}"), "up to 64 letters, digits, '.', '_', ':' or '-'"
        ),
    )
    token: str = field(
        default="",
        metadata=allowed(
            _matches(r"[\x21-\x7e]{0,512}"), "the kiosk's token: printable ASCII, no spaces"
        ),
    )
    interval_s: int = field(
        default=60, metadata=allowed(_between(5, 3600), "whole seconds from 5 to 3600")
    )
    # empty: pinned on the first authenticated contact (trust on first use)
    update_key: str = field(
        default="",
        metadata=allowed(
            _update_key_ok, "empty or the fleet's update key: base64 of 32 bytes (Ed25519)"
        ),
    )


@dataclass(frozen=True)
class KioskConfig:
    office: OfficeConfig = field(default_factory=OfficeConfig)
    ui: UiConfig = field(default_factory=UiConfig)
    devices: DevicesConfig = field(default_factory=DevicesConfig)
    storage: StorageConfig = field(default_factory=StorageConfig)
    portal: PortalConfig = field(default_factory=PortalConfig)
    security: SecurityConfig = field(default_factory=SecurityConfig)
    outbox: OutboxConfig = field(default_factory=OutboxConfig)
    fleet: FleetConfig = field(default_factory=FleetConfig)
    source: str = "built-in defaults"

    @property
    def data_dir(self) -> Path:
        if self.storage.data_dir:
            return Path(self.storage.data_dir).expanduser()
        if os.environ.get(DATA_DIR_ENV):
            return Path(os.environ[DATA_DIR_ENV]).expanduser()
        import platformdirs

        return Path(platformdirs.user_data_dir("mot-cua-kiosk", appauthor=False))

    @property
    def database_url(self) -> str:
        return self.storage.database_url or f"sqlite:///{self.data_dir / 'kiosk.db'}"

    @property
    def trust_store(self) -> Path:
        return (
            Path(self.security.trust_store)
            if self.security.trust_store
            else self.data_dir / "trust"
        )

    @property
    def machine_key_file(self) -> Path:
        if self.security.machine_key_file:
            return Path(self.security.machine_key_file).expanduser()
        return (
            self.data_dir
            / "keys"
            / ("machine.tpm2" if self.security.machine_key == "tpm2" else "machine.key")
        )

    @property
    def log_dir(self) -> Path:
        if self.security.log_dir:
            return Path(self.security.log_dir).expanduser()
        return self.data_dir / "logs"

    @property
    def print_dir(self) -> Path:
        """Where a `pdf:` printer writes (its folder, else the data folder's `prints`); also where
        the daily purge looks for printed files whatever the printer."""
        from devices.printer.folder import parse as parse_folder_printer

        spec = parse_folder_printer(self.devices.printer)
        if spec is not None and spec.folder is not None:
            return spec.folder
        return self.data_dir / "prints"


_TABLES: dict[str, type] = {
    f.name: f.type if isinstance(f.type, type) else typing.get_type_hints(KioskConfig)[f.name]
    for f in dataclasses.fields(KioskConfig)
    if f.name != "source"
}


def _type_ok(value: Any, annotation: Any) -> bool:
    if isinstance(annotation, types.UnionType):
        return any(_type_ok(value, arg) for arg in typing.get_args(annotation))
    if annotation is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if annotation is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, annotation)


def _type_name(annotation: Any) -> str:
    if isinstance(annotation, types.UnionType):
        return " or ".join(_type_name(a) for a in typing.get_args(annotation))
    return {bool: "true or false", int: "a whole number", float: "a number", str: "a string"}.get(
        annotation, str(annotation)
    )


def _build_table(table: str, cls: type, values: Any) -> Any:
    if not isinstance(values, dict):
        raise ConfigError(f"[{table}] must be a table, got {values!r}")
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    for key, value in values.items():
        if key not in fields:
            raise ConfigError(
                f"unknown key [{table}].{key}; allowed keys: {', '.join(sorted(fields))}"
            )
        meta = fields[key].metadata
        if not _type_ok(value, hints[key]) or ("check" in meta and not meta["check"](value)):
            description = meta.get("allowed", _type_name(hints[key]))
            if callable(description):
                description = description()
            raise ConfigError(f"bad value for [{table}].{key}: {value!r}; allowed: {description}")
    return cls(**values)


def parse_config(text: str, source: str = "<string>") -> KioskConfig:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source} is not valid TOML: {exc}") from None
    tables: dict[str, Any] = {}
    for name, values in document.items():
        if name not in _TABLES:
            raise ConfigError(f"unknown table [{name}] in {source}; allowed: {', '.join(_TABLES)}")
        tables[name] = _build_table(name, _TABLES[name], values)
    config = KioskConfig(**tables, source=source)
    fleet = config.fleet
    if fleet.url and not (fleet.kiosk_id and fleet.token):
        raise ConfigError(
            f"[fleet] url in {source} needs [fleet] kiosk_id and token (as printed by "
            "kiosk fleet admin enroll)"
        )
    if config.security.machine_key == "fleet" and not fleet.url:
        raise ConfigError(
            f'[security] machine_key = "fleet" in {source} needs [fleet] url, kiosk_id and '
            "token (the key is released by the fleet service)"
        )
    return config


def load_config(path: str | os.PathLike[str] | None = None) -> KioskConfig:
    """Load `path`, else $KIOSK_CONFIG, else the built-in (demo) defaults."""
    chosen = path or os.environ.get(CONFIG_ENV)
    if not chosen:
        return KioskConfig()
    file = Path(chosen)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read config file {file}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"config file {file} is not UTF-8 text") from None
    return parse_config(text, str(file))


def config_as_toml(config: KioskConfig) -> str:
    """The effective configuration as TOML (for `kiosk config show`)."""
    lines: list[str] = []
    for table in _TABLES:
        lines.append(f"[{table}]")
        for key, value in dataclasses.asdict(getattr(config, table)).items():
            if isinstance(value, bool):
                rendered = "true" if value else "false"
            elif isinstance(value, int | float):
                rendered = str(value)
            else:
                rendered = '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'
            lines.append(f"{key} = {rendered}")
        lines.append("")
    return "\n".join(lines)
