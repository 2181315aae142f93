// The counter console: live help requests of one office (server-sent events), a chime for each
// new one, and the officer's answer ("Đã nhận" / "Đang tới") that the kiosk shows the citizen.
"use strict";

const STATES = {
  open: "Đang chờ cán bộ",
  acknowledged: "Đã nhận",
  coming: "Cán bộ đang tới",
};

const office = new URLSearchParams(location.search).get("office") || "";
const requests = new Map();
let audio = null;

function chime() {
  if (!audio) return;
  const now = audio.currentTime;
  for (const [offset, frequency] of [[0, 880], [0.25, 660], [0.5, 880]]) {
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, now + offset);
    gain.gain.exponentialRampToValueAtTime(0.4, now + offset + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, now + offset + 0.22);
    tone.connect(gain).connect(audio.destination);
    tone.start(now + offset);
    tone.stop(now + offset + 0.25);
  }
  document.body.dataset.chimes = String(Number(document.body.dataset.chimes || 0) + 1);
}

function render() {
  const list = document.getElementById("requests");
  const template = document.getElementById("request-template");
  const open = [...requests.values()].filter((r) => r.state !== "closed");
  open.sort((a, b) => a.at.localeCompare(b.at));
  list.replaceChildren(...open.map((request) => {
    const card = template.content.firstElementChild.cloneNode(true);
    card.dataset.helpId = request.help_id;
    card.dataset.state = request.state;
    card.dataset.kioskId = request.kiosk_id;
    card.querySelector(".kiosk").textContent = `Máy ${request.kiosk_id}`;
    const number = request.step_number ? `Bước ${request.step_number}: ` : "";
    card.querySelector(".step").textContent = number + (request.step_title || request.step || "");
    card.querySelector(".reason").textContent = request.reason_text || request.reason;
    card.querySelector(".waited").textContent = `gọi lúc ${Fleet.time(request.at)} (${Fleet.ago(request.at)})`;
    const by = request.by ? ` — ${request.by}` : "";
    card.querySelector(".state").textContent = (STATES[request.state] || request.state) + by;
    for (const button of card.querySelectorAll("button[data-action]")) {
      button.setAttribute("aria-pressed", String(button.dataset.action === request.state));
      button.addEventListener("click", () => answer(request.help_id, button.dataset.action));
    }
    return card;
  }));
  document.getElementById("empty").classList.toggle("hidden", open.length > 0);
  document.title = open.some((r) => r.state === "open")
    ? `(${open.filter((r) => r.state === "open").length}) Yêu cầu hỗ trợ`
    : "Yêu cầu hỗ trợ — Một Cửa Kiosk";
}

async function answer(helpId, state) {
  const field = document.getElementById("officer-name");
  const by = field.value.trim();
  document.getElementById("name-needed").classList.toggle("hidden", Boolean(by));
  if (!by) { field.focus(); return; }
  localStorage.setItem("fleet-officer", by);
  try {
    const view = await Fleet.call(`/api/v1/help/${encodeURIComponent(helpId)}/ack`,
      { method: "POST", body: { state, by } });
    requests.set(view.help_id, view);
    render();
  } catch (error) {
    if (error.status === 409) { requests.delete(helpId); render(); }
  }
}

function connect() {
  const status = document.getElementById("connection");
  const query = office ? `?office=${encodeURIComponent(office)}` : "";
  const source = new EventSource(`/api/v1/console/stream${query}`);
  source.addEventListener("open", () => {
    status.dataset.state = "online";
    status.textContent = "Trực tuyến";
  });
  source.addEventListener("error", () => {
    status.dataset.state = "offline";
    status.textContent = "Mất kết nối — đang thử lại";
  });
  source.addEventListener("help", (event) => {
    const data = JSON.parse(event.data);
    const isNew = !requests.has(data.help_id) && data.state === "open";
    requests.set(data.help_id, data);
    render();
    if (isNew) chime();
  });
  for (const name of ["ack", "closed"]) {
    source.addEventListener(name, (event) => {
      const data = JSON.parse(event.data);
      requests.set(data.help_id, data);
      render();
    });
  }
}

function setUpSound() {
  const button = document.getElementById("sound-toggle");
  button.addEventListener("click", () => {
    if (!audio) audio = new (window.AudioContext || window.webkitAudioContext)();
    if (button.dataset.sound === "off") {
      audio.resume();
      button.dataset.sound = "on";
      button.textContent = "🔔 Âm thanh đang bật";
      chime();
    } else {
      audio.suspend();
      button.dataset.sound = "off";
      button.textContent = "🔇 Bật âm thanh";
    }
    button.setAttribute("aria-pressed", String(button.dataset.sound === "on"));
  });
}

document.addEventListener("DOMContentLoaded", async () => {
  const me = await Fleet.signIn();
  const name = office || me.office;
  document.getElementById("title").textContent = name ? `Yêu cầu hỗ trợ — ${name}` : "Yêu cầu hỗ trợ — mọi xã";
  document.getElementById("officer-name").value = localStorage.getItem("fleet-officer") || "";
  document.getElementById("desk").classList.remove("hidden");
  setUpSound();
  connect();
  setInterval(render, 30000);  // keeps "… phút trước" current
});
