// Shared by the console and the dashboard: sign-in with an access token (kept in an HttpOnly
// cookie by the server), JSON calls, Vietnamese times. Text from the server is always set with
// textContent, never as HTML.
"use strict";

const Fleet = {
  async call(path, options = {}) {
    const init = { credentials: "same-origin", headers: {}, ...options };
    if (options.body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(options.body);
    }
    const response = await fetch(path, init);
    let data = {};
    try { data = await response.json(); } catch (_e) { data = {}; }
    if (!response.ok) {
      const error = new Error(data.detail || data.error || String(response.status));
      error.status = response.status;
      error.code = data.error;
      throw error;
    }
    return data;
  },

  // Resolves with who is signed in; shows the sign-in form until a token is accepted (for the
  // dashboard: a province token).
  signIn(provinceOnly = false) {
    const form = document.getElementById("login");
    const failed = document.getElementById("login-error");
    return new Promise((resolve) => {
      const accept = (me) => {
        if (provinceOnly && !me.province) return false;
        form.classList.add("hidden");
        failed.classList.add("hidden");
        resolve(me);
        return true;
      };
      const ask = () => {
        form.classList.remove("hidden");
        document.getElementById("access-token").focus();
      };
      Fleet.call("/api/v1/me").then((me) => accept(me) || ask()).catch(ask);
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const token = document.getElementById("access-token").value.trim();
        try {
          const me = await Fleet.call("/api/v1/login", { method: "POST", body: { token } });
          if (!accept(me)) failed.classList.remove("hidden");
        } catch (_e) {
          failed.classList.remove("hidden");
        }
      });
    });
  },

  // "14:05" today, "14:05 02/12" another day (Vietnam time).
  time(iso) {
    if (!iso) return "chưa bao giờ";
    const zone = { timeZone: "Asia/Ho_Chi_Minh" };
    const moment = new Date(iso);
    const clock = moment.toLocaleTimeString("vi-VN", { ...zone, hour: "2-digit", minute: "2-digit" });
    const day = (d) => d.toLocaleDateString("vi-VN", { ...zone, day: "2-digit", month: "2-digit" });
    return day(moment) === day(new Date()) ? clock : `${clock} ${day(moment)}`;
  },

  ago(iso, now = Date.now()) {
    if (!iso) return "chưa bao giờ";
    const minutes = Math.max(0, Math.round((now - new Date(iso).getTime()) / 60000));
    if (minutes < 1) return "vừa xong";
    if (minutes < 60) return `${minutes} phút trước`;
    const hours = Math.floor(minutes / 60);
    if (hours < 48) return `${hours} giờ trước`;
    return `${Math.floor(hours / 24)} ngày trước`;
  },

  element(tag, text, attributes = {}) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    return node;
  },
};
