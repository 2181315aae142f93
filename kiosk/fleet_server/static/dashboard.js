// The province dashboard: every kiosk's state, the alerts, and today's and this month's figures
// per commune and procedure, drawn as inline SVG (no library, no internet). Refreshed every 15 s.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const ALERTS = {
  offline: "Mất liên lạc quá 5 phút",
  paper_out: "Máy in hết giấy",
  backlog: "Tồn nhiều hồ sơ chưa gửi",
  anchor_mismatch: "Nhật ký kiểm toán không khớp",
};
const DEVICES = { reader: "Đầu đọc thẻ", camera: "Camera", printer: "Máy in", speech: "Loa" };
const DEVICE_STATES = { ok: "tốt", failed: "LỖI", missing: "KHÔNG CÓ", low: "sắp hết", out: "HẾT", unknown: "không rõ" };
const OUTCOMES = { submitted: "đã nộp", rejected: "bị từ chối", abandoned: "bỏ dở", completed: "hoàn thành", cancelled: "huỷ", timeout: "hết giờ" };

function setNumber(id, value) {
  const node = document.getElementById(id);
  node.textContent = value.toLocaleString("vi-VN");
  node.dataset.value = String(value);
}

function cell(text, label, className) {
  const td = Fleet.element("td", text, { "data-label": label });
  if (className) td.className = className;
  return td;
}

function renderKiosks(kiosks) {
  const rows = kiosks.map((kiosk) => {
    const row = document.createElement("tr");
    row.dataset.kioskId = kiosk.kiosk_id;
    row.dataset.online = String(kiosk.online);
    row.dataset.alerts = kiosk.alerts.join(" ");
    const state = kiosk.revoked ? "Đã thu hồi" : kiosk.online ? "● Trực tuyến" : "○ MẤT LIÊN LẠC";
    const devices = Object.entries(kiosk.devices).filter(([name]) => name !== "paper")
      .map(([name, value]) => `${DEVICES[name] || name}: ${DEVICE_STATES[value] || value}`).join(", ");
    const paper = kiosk.devices.paper ? DEVICE_STATES[kiosk.devices.paper] || kiosk.devices.paper : "—";
    row.append(
      cell(kiosk.kiosk_id, "Máy"),
      cell(kiosk.office || "—", "Xã/phường"),
      cell(state, "Trạng thái"),
      cell(`${Fleet.time(kiosk.last_seen)} (${Fleet.ago(kiosk.last_seen)})`, "Lần cuối liên lạc"),
      cell(devices || "—", "Thiết bị"),
      cell(paper, "Giấy in"),
      cell(kiosk.outbox.unsent, "Hồ sơ chờ gửi", "number"),
      cell(kiosk.today.visits, "Lượt hôm nay", "number"),
    );
    return row;
  });
  document.querySelector("#kiosks tbody").replaceChildren(...rows);
}

const ANCHOR_REASONS = {
  removed: "các mục cuối của nhật ký đã bị xoá",
  rewritten: "nhật ký đã bị viết lại",
  other_key: "mốc nhật ký được ký bằng khoá khác",
  invalid_signature: "chữ ký của mốc nhật ký không hợp lệ",
};

function alertText(alert, kiosk) {
  switch (alert.kind) {
    case "offline":
      return alert.since ? `không liên lạc từ ${Fleet.time(alert.since)} (${Fleet.ago(alert.since)})` : "chưa từng liên lạc";
    case "paper_out":
      return "cần thay giấy";
    case "backlog":
      return kiosk ? `${kiosk.outbox.unsent} hồ sơ chưa gửi được (ngưỡng ${kiosk.soft_limit})` : "";
    case "anchor_mismatch":
      return ANCHOR_REASONS[alert.reason] || "cần kiểm tra nhật ký";
    default:
      return alert.detail;
  }
}

function renderAlerts(alerts, kiosks) {
  const byId = new Map(kiosks.map((k) => [k.kiosk_id, k]));
  const items = alerts.map((alert) => {
    const kiosk = byId.get(alert.kiosk_id);
    const where = kiosk && kiosk.office ? ` (${kiosk.office})` : "";
    const item = Fleet.element("li", `${ALERTS[alert.kind] || alert.kind} — máy ${alert.kiosk_id}${where}: ${alertText(alert, kiosk)}`);
    item.title = alert.detail;
    item.dataset.kind = alert.kind;
    item.dataset.kioskId = alert.kiosk_id;
    return item;
  });
  document.getElementById("alerts").replaceChildren(...items);
  document.getElementById("no-alerts").classList.toggle("hidden", alerts.length > 0);
}

// Horizontal bars with the number written beside each: readable without colour. Drawn at the
// figure's own width (one SVG unit = one CSS pixel), so the labels keep their size on a phone.
function barChart(rows, series, width) {
  const barHeight = 20, gap = 4;
  const rowHeight = (barHeight + gap) * series.length + 30;
  const numberWidth = series.some((s) => s.label) ? 120 : 56;
  const barWidth = Math.max(60, width - numberWidth);
  const height = Math.max(rowHeight * rows.length, 30);
  const max = Math.max(1, ...rows.flatMap((row) => series.map((s) => row[s.key] || 0)));
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("width", String(width));
  svg.setAttribute("height", String(height));
  svg.setAttribute("role", "img");
  const defs = document.createElementNS(SVG, "defs");
  const pattern = document.createElementNS(SVG, "pattern");
  for (const [k, v] of Object.entries({ id: "hatch", width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" })) pattern.setAttribute(k, v);
  const stripe = document.createElementNS(SVG, "rect");
  for (const [k, v] of Object.entries({ width: 3, height: 6, fill: "#111" })) stripe.setAttribute(k, v);
  pattern.append(stripe);
  defs.append(pattern);
  svg.append(defs);
  rows.forEach((row, index) => {
    const top = index * rowHeight;
    const label = document.createElementNS(SVG, "text");
    label.setAttribute("x", "0");
    label.setAttribute("y", String(top + 18));
    label.setAttribute("class", "label");
    label.textContent = row.label;
    svg.append(label);
    series.forEach((s, n) => {
      const value = row[s.key] || 0;
      const length = Math.max(1, barWidth * value / max);
      const y = top + 26 + n * (barHeight + gap);
      const bar = document.createElementNS(SVG, "rect");
      bar.setAttribute("class", `bar ${s.key}`);
      bar.setAttribute("x", "0");
      bar.setAttribute("y", String(y));
      bar.setAttribute("height", String(barHeight));
      bar.setAttribute("width", String(length));
      bar.dataset.value = String(value);
      const number = document.createElementNS(SVG, "text");
      number.setAttribute("x", String(length + 6));
      number.setAttribute("y", String(y + 15));
      number.textContent = s.label ? `${value.toLocaleString("vi-VN")} ${s.label}` : value.toLocaleString("vi-VN");
      svg.append(bar, number);
    });
  });
  return svg;
}

function total(outcomes) {
  return Object.values(outcomes || {}).reduce((sum, n) => sum + n, 0);
}

function renderFigures(figures, names) {
  const today = new Map(figures.today.offices.map((o) => [o.office, o.visits]));
  const offices = figures.month.offices.map((o) => ({ label: o.office || "(chưa đặt tên xã)", today: today.get(o.office) || 0, month: o.visits }));
  const officeChart = document.getElementById("chart-offices");
  officeChart.querySelector("svg")?.remove();
  officeChart.append(barChart(offices, [{ key: "today", label: "hôm nay" }, { key: "month", label: "tháng này" }], officeChart.clientWidth || 560));

  const codes = Object.keys(figures.month.procedures);
  const procedures = codes.map((code) => ({ label: names[code] || code, month: total(figures.month.procedures[code]) }));
  const procedureChart = document.getElementById("chart-procedures");
  procedureChart.querySelector("svg")?.remove();
  procedureChart.append(barChart(procedures, [{ key: "month" }], procedureChart.clientWidth || 560));

  const rows = codes.map((code) => {
    const row = document.createElement("tr");
    row.dataset.procedure = code;
    const outcomes = Object.entries(figures.month.procedures[code])
      .map(([outcome, n]) => `${OUTCOMES[outcome] || outcome}: ${n}`).join(", ");
    row.append(
      cell(names[code] || code, "Thủ tục"),
      cell(total(figures.today.procedures[code]), "Hôm nay", "number"),
      cell(total(figures.month.procedures[code]), "Tháng này", "number"),
      cell(outcomes, "Kết quả"),
    );
    return row;
  });
  document.querySelector("#procedure-table tbody").replaceChildren(...rows);
}

async function refresh() {
  const updated = document.getElementById("updated");
  try {
    const status = await Fleet.call("/api/v1/fleet/status");
    setNumber("tile-online", status.kiosks.filter((k) => k.online).length);
    setNumber("tile-kiosks", status.kiosks.length);
    setNumber("tile-alerts", status.alerts.length);
    setNumber("tile-today", status.figures.today.visits);
    setNumber("tile-month", status.figures.month.visits);
    renderAlerts(status.alerts, status.kiosks);
    renderKiosks(status.kiosks);
    renderFigures(status.figures, status.procedure_names || {});
    updated.dataset.state = "online";
    updated.textContent = `Cập nhật lúc ${Fleet.time(status.server_time)}`;
    document.body.dataset.loaded = "true";
  } catch (error) {
    updated.dataset.state = "offline";
    updated.textContent = "Không tải được số liệu — đang thử lại";
    if (error.status === 401 || error.status === 403) {
      document.getElementById("board").classList.add("hidden");
      await Fleet.signIn(true);
      document.getElementById("board").classList.remove("hidden");
    }
  }
}

document.addEventListener("DOMContentLoaded", async () => {
  await Fleet.signIn(true);
  document.getElementById("board").classList.remove("hidden");
  await refresh();
  setInterval(refresh, 15000);
});
