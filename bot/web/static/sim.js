// Yol browser simulator. Every text is put in the page with textContent,
// never as HTML: what the bot or staff write cannot run here.
(function () {
  "use strict";
  var chat = document.getElementById("chat");
  var kbd = document.getElementById("kbd");
  var langSel = document.getElementById("lang");
  var text = document.getElementById("text");
  var busy = false;
  // A stored content version (staff only) runs in its own chats.
  var version = document.querySelector("section.sim").getAttribute("data-version") || "";
  // The texts this script writes, in the console's language (the page
  // renders them in a JSON block); the chat's own texts come from the bot.
  var S = {};
  try {
    S = JSON.parse(document.getElementById("sim-texts").textContent) || {};
  } catch (e) {}
  function tx(name) { return S[name] || name; }

  function at(path) {
    return version ? path + "?version=" + encodeURIComponent(version) : path;
  }

  function rtl() {
    var o = langSel.options[langSel.selectedIndex];
    return o && o.getAttribute("data-rtl") === "true";
  }

  function el(tag, cls, txt) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (txt !== undefined) e.textContent = txt;
    return e;
  }

  function bubble(who, txt, isRTL) {
    var b = el("div", "bubble " + who, txt);
    b.setAttribute("dir", isRTL ? "rtl" : "auto");
    chat.appendChild(b);
    chat.scrollTop = chat.scrollHeight;
    return b;
  }

  function showReply(r, who) {
    var b;
    if (r.clear_chat) {
      // /forget, "clear this chat" and Hide delete the chat's messages
      // on the phone: here too.
      chat.textContent = "";
      bubble("sys", "🗑 " + tx("cleared"));
    }
    if (r.text) b = bubble(who || "bot", r.text, r.rtl);
    if (b && r.protect) {
      // Telegram sends it with protect_content: no forwarding, no saving.
      b.classList.add("protected");
      b.title = "🔒 " + tx("protected");
    }
    if (r.pin) {
      var p = bubble(who || "bot", "📍 " + (r.pin.title || "") + (r.pin.address ? "\n" + r.pin.address : ""), r.rtl);
      var a = el("a", "map", tx("map") + " ↗");
      a.href = "https://www.openstreetmap.org/?mlat=" + encodeURIComponent(r.pin.lat) + "&mlon=" + encodeURIComponent(r.pin.lng) + "#map=16/" + encodeURIComponent(r.pin.lat) + "/" + encodeURIComponent(r.pin.lng);
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      p.appendChild(el("br"));
      p.appendChild(a);
      b = p;
    }
    if (r.buttons && r.buttons.length) {
      var box = el("div", "buttons");
      box.setAttribute("dir", r.rtl ? "rtl" : "ltr");
      r.buttons.forEach(function (row) {
        var line = el("div", "brow");
        row.forEach(function (btn) {
          var x = el("button", "ibtn", btn.label);
          x.type = "button";
          x.addEventListener("click", function () {
            send({ kind: "button", data: btn.data }, "[" + btn.label + "]");
          });
          line.appendChild(x);
        });
        box.appendChild(line);
      });
      chat.appendChild(box);
    }
    if (r.keyboard === "location" || r.keyboard === "contact") {
      kbd.textContent = "";
      var k = el("button", "kbtn", r.keyboard_label || (r.keyboard === "location" ? "📍 " + tx("kbd_location") : "📞 " + tx("kbd_phone")));
      k.type = "button";
      k.addEventListener("click", function () {
        var d = document.getElementById(r.keyboard === "location" ? "loc-tools" : "contact-tools");
        d.open = true;
        d.scrollIntoView({ block: "nearest" });
      });
      kbd.appendChild(k);
      kbd.hidden = false;
    } else if (r.keyboard === "remove") {
      kbd.hidden = true;
    }
    chat.scrollTop = chat.scrollHeight;
  }

  // post sends body as JSON; a refusal is an Error with the server's
  // message (in the console's language), else with one of S.
  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body)
    }).then(function (res) {
      return res.text().then(function (t) {
        var j = null;
        try { j = JSON.parse(t); } catch (e) {}
        if (res.ok && j) return j;
        throw new Error((j && j.error) || (tx("server_error") + " (HTTP " + res.status + ")"));
      });
    }, function () {
      throw new Error(tx("network_error"));
    });
  }

  function handle(p) {
    busy = true;
    return p.then(function (j) {
      (j.replies || []).forEach(function (r) { showReply(r); });
    }).catch(function (e) {
      bubble("sys", "⚠ " + e.message);
    }).then(function () { busy = false; });
  }

  function send(msg, shown) {
    if (busy) return;
    msg.lang = langSel.value;
    bubble("me", shown, rtl());
    kbd.hidden = true;
    handle(post(at("/simulator/send"), msg));
  }

  function restart() {
    chat.textContent = "";
    kbd.hidden = true;
    chat.setAttribute("dir", rtl() ? "rtl" : "ltr");
    bubble("sys", tx("new_chat") + " · /start (" + langSel.value + ")");
    handle(post(at("/simulator/reset"), { lang: langSel.value }));
  }

  document.getElementById("composer").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var t = text.value.trim();
    if (!t) return;
    text.value = "";
    send({ kind: "text", text: t }, t);
  });
  document.querySelectorAll("button.city").forEach(function (b) {
    b.addEventListener("click", function () {
      var lat = parseFloat(b.getAttribute("data-lat")), lng = parseFloat(b.getAttribute("data-lng"));
      send({ kind: "location", lat: lat, lng: lng }, "📍 " + b.textContent);
    });
  });
  document.getElementById("locform").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var lat = parseFloat(document.getElementById("lat").value), lng = parseFloat(document.getElementById("lng").value);
    if (isNaN(lat) || isNaN(lng)) return;
    send({ kind: "location", lat: lat, lng: lng }, "📍 " + lat + ", " + lng);
  });
  document.getElementById("contactform").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var p = document.getElementById("phone").value.trim();
    if (!p) return;
    send({ kind: "contact", phone: p }, "📞 " + p);
  });
  langSel.addEventListener("change", restart);
  document.getElementById("restart").addEventListener("click", restart);

  function poll() {
    if (!busy) {
      fetch(at("/simulator/poll"), { credentials: "same-origin" }).then(function (res) { return res.json(); }).then(function (j) {
        (j.replies || []).forEach(function (r) { showReply(r, "staff"); });
      }).catch(function () {});
    }
  }
  setInterval(poll, 3000);

  // Start in the browser's language when the pack has it.
  var want = (navigator.language || "").slice(0, 2).toLowerCase();
  for (var i = 0; i < langSel.options.length; i++) {
    if (langSel.options[i].value === want) langSel.selectedIndex = i;
  }
  restart();
})();
