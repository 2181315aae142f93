"""Vietnam's 54 ethnic groups, in the order and spelling of the General Statistics Office's list
(Quyết định 121-TCTK/PPCĐ, codes 01–54), which civil-status forms use (docs/domain.md §6). A form
field asks for one with `"choices_from": "ethnic_groups"`: the citizen taps, never types."""

from __future__ import annotations

ETHNIC_GROUPS: tuple[str, ...] = (
    "Kinh", "Tày", "Thái", "Hoa", "Khơ-me", "Mường", "Nùng", "HMông", "Dao", "Gia-rai",
    "Ngái", "Ê-đê", "Ba-na", "Xơ-đăng", "Sán Chay", "Cơ-ho", "Chăm", "Sán Dìu", "Hrê", "Mnông",
    "Ra-glai", "Xtiêng", "Bru-Vân Kiều", "Thổ", "Giáy", "Cơ-tu", "Gié-Triêng", "Mạ", "Khơ-mú",
    "Co", "Tà-ôi", "Chơ-ro", "Kháng", "Xinh-mun", "Hà Nhì", "Chu-ru", "Lào", "La Chí", "La Ha",
    "Phù Lá", "La Hủ", "Lự", "Lô Lô", "Chứt", "Mảng", "Pà Thẻn", "Cơ Lao", "Cống", "Bố Y",
    "Si La", "Pu Péo", "Brâu", "Ơ-đu", "Rơ-măm",
)  # fmt: skip

# Named lists a catalogue field may take its choices from.
CHOICE_LISTS: dict[str, tuple[str, ...]] = {"ethnic_groups": ETHNIC_GROUPS}
