"""The layout checker finds what a person would see as broken (ui/layout_check.py): each rule on
a small window built to break it, and a clean window passes."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ui import theme
from ui.layout_check import layout_problems


def _window(qtbot, *children: QWidget, size=(600, 400)):  # type: ignore[no-untyped-def]
    window = QWidget()
    column = QVBoxLayout(window)
    for child in children:
        column.addWidget(child)
    column.addStretch(1)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_a_window_whose_texts_fit_has_no_problem(qtbot):
    label = QLabel("Bác chạm vào tên thủ tục.")
    label.setWordWrap(True)
    window = _window(qtbot, label, QPushButton("Đúng"))
    assert layout_problems(window, QSize(600, 400)) == []


def test_a_label_narrower_than_its_text_is_cut_off(qtbot):
    label = QLabel("Đăng ký khai sinh — 135.000 đồng")
    label.setFont(theme.font(30))
    label.setMaximumWidth(200)
    window = _window(qtbot, label)
    assert any("is cut off" in p and "135.000" in p for p in layout_problems(window))


def test_a_wrapped_label_lower_than_its_lines_is_cut_off(qtbot):
    label = QLabel("Họ, chữ đệm và tên người đi đăng ký: Nguyễn Văn An. Đúng không ạ? " * 4)
    label.setWordWrap(True)
    label.setFont(theme.font(30))
    label.setFixedHeight(40)
    window = _window(qtbot, label)
    assert any("needs" in p and "high" in p for p in layout_problems(window))


def test_a_button_narrower_than_its_words_is_cut_off(qtbot):
    button = QPushButton("Làm lại từ đầu (xoá phiên)")
    button.setFont(theme.font(32))
    button.setFixedWidth(120)
    window = _window(qtbot, button)
    assert any("QPushButton" in p and "is cut off" in p for p in layout_problems(window))


def test_a_widget_beyond_the_screen_lies_outside_the_window(qtbot):
    window = _window(qtbot)
    stray = QPushButton("Quay lại", window)
    stray.setGeometry(500, 380, 200, 60)
    stray.show()
    assert any("lies outside the window" in p for p in layout_problems(window, QSize(600, 400)))


def test_a_scroll_area_that_scrolls_sideways_is_a_problem(qtbot):
    area = QScrollArea()
    wide = QWidget()
    wide.setMinimumWidth(900)
    area.setWidget(wide)
    window = _window(qtbot, area)
    assert any("scrolls sideways" in p for p in layout_problems(window))


def test_a_window_grown_past_the_screen_is_a_problem(qtbot):
    window = _window(qtbot, size=(600, 460))
    assert layout_problems(window, QSize(600, 400))[0].startswith("window is 600x460")


def test_rows_below_the_fold_of_a_scroll_area_are_not_outside_the_window(qtbot):
    area = QScrollArea()
    area.setWidgetResizable(True)
    rows = QWidget()
    column = QVBoxLayout(rows)
    for index in range(30):
        column.addWidget(QLabel(f"Dòng {index}"))
    area.setWidget(rows)
    window = _window(qtbot, area)
    assert layout_problems(window, QSize(600, 400)) == []


def test_buttons_drawn_on_top_of_each_other_are_a_problem(qtbot):
    window = _window(qtbot)
    for top in (40, 70):
        button = QPushButton(f"Thủ tục {top}", window)
        button.setGeometry(20, top, 300, 60)
        button.show()
    assert any("drawn on top of each other" in p for p in layout_problems(window))


def test_an_overlay_above_the_screen_is_not_an_overlap(qtbot):
    screen_button = QPushButton("Đúng")
    window = _window(qtbot, screen_button)
    overlay = QWidget(window)
    overlay.setGeometry(window.rect())
    QPushButton("Cần thêm thời gian", overlay).setGeometry(screen_button.geometry())
    overlay.show()
    assert layout_problems(window) == []


def _list_above_a_button(qtbot, rows: int):  # type: ignore[no-untyped-def]
    """A scrolling list of buttons with a button under it, the list's rows below the fold lying
    (undrawn) where that button is."""
    host = QWidget()
    area = QScrollArea(host)
    area.setGeometry(0, 0, 600, 200)
    area.setWidgetResizable(True)
    content = QWidget()
    column = QVBoxLayout(content)
    for index in range(rows):
        column.addWidget(QPushButton(f"Dòng {index}"))
    area.setWidget(content)
    below = QPushButton("Gửi hồ sơ", host)
    below.setGeometry(0, 220, 600, 60)
    return _window(qtbot, host, size=(640, 400)), area


def test_a_row_below_the_fold_is_not_drawn_on_the_button_under_the_list(qtbot):
    window, _ = _list_above_a_button(qtbot, 30)
    host = window.layout().itemAt(0).widget()
    host.setMinimumHeight(300)
    QApplication.processEvents()
    assert not any("drawn on top" in p for p in layout_problems(window))


def test_a_button_inside_a_list_s_viewport_over_another_is_a_problem(qtbot):
    window, area = _list_above_a_button(qtbot, 30)
    window.layout().itemAt(0).widget().setMinimumHeight(300)
    area.setGeometry(0, 0, 600, 260)  # the viewport now reaches over "Gửi hồ sơ"
    QApplication.processEvents()
    assert any("drawn on top" in p for p in layout_problems(window))
