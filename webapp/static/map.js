/* The Samenspel map: initiatives and upcoming events on a Leaflet map with clusters, the same
   results in a list, filters, a search through the bot's own search engine, a card per place
   with a link back to the chat, and sign-up for events when opened from Telegram.
   All words come from window.SAMENSPEL.texts, in the reader's language. */
(function () {
  "use strict";

  const cfg = window.SAMENSPEL;
  const T = cfg.texts;
  const EVENT_KINDS = ["table", "training", "meetup"];
  const PALETTE = ["#1b6ca8", "#2e7d32", "#ad1457", "#6a1b9a", "#c62828", "#00695c",
    "#4e342e", "#283593", "#9e4a00", "#37474f", "#7b1fa2", "#00838f"];
  const KIND_ICONS = { table: "🗣", training: "🎓", meetup: "🤝" };

  // --- What Telegram tells a Mini App at launch (in the address's #fragment) ---------------
  function launchParams() {
    const hash = new URLSearchParams(window.location.hash.slice(1));
    const search = new URLSearchParams(window.location.search);
    const webApp = window.Telegram && window.Telegram.WebApp;
    let theme = {};
    try { theme = JSON.parse(hash.get("tgWebAppThemeParams") || "{}"); } catch (e) { theme = {}; }
    const initData = (webApp && webApp.initData) || hash.get("tgWebAppData") || "";
    let start = hash.get("tgWebAppStartParam") || search.get("focus") || "";
    if (!start && initData) {
      start = new URLSearchParams(initData).get("start_param") || "";
    }
    return { initData, theme: (webApp && webApp.themeParams) || theme, start };
  }
  const launch = launchParams();

  function applyTheme(theme) {
    const names = { bg_color: "--bg", text_color: "--text", hint_color: "--hint",
      link_color: "--link", button_color: "--button", button_text_color: "--button-text",
      secondary_bg_color: "--secondary-bg" };
    Object.keys(names).forEach(function (key) {
      if (/^#[0-9a-fA-F]{6}$/.test(theme[key] || "")) {
        document.documentElement.style.setProperty(names[key], theme[key]);
      }
    });
  }
  applyTheme(launch.theme);

  // --- Words and formats -----------------------------------------------------------------
  function plural(one, other, count) {
    return (count === 1 ? one : other).replace("{count}", String(count));
  }
  function el(tag, attributes, text) {
    const node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  const when = new Intl.DateTimeFormat(cfg.lang === "en" ? "en-GB" : "nl-NL", {
    weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
    timeZone: cfg.timeZone,
  });
  function themeColour(slug) {
    const slugs = Object.keys(cfg.themes);
    const index = slugs.indexOf(slug);
    return PALETTE[(index < 0 ? 0 : index) % PALETTE.length];
  }

  // --- The page's own labels ---------------------------------------------------------------
  document.getElementById("skip").textContent = T.skip_to_list;
  document.getElementById("q-label").textContent = T.search_label;
  const q = document.getElementById("q");
  q.placeholder = T.search_placeholder;
  document.getElementById("search-button").textContent = T.search_button;
  document.getElementById("clear").textContent = T.clear;
  document.getElementById("kind-label").textContent = T.what;
  document.getElementById("theme-label").textContent = T.theme;
  document.getElementById("place-label").textContent = T.place;
  document.getElementById("results-heading").textContent = T.list_heading;
  document.getElementById("map").setAttribute("aria-label", T.map_label);
  document.getElementById("card-close").setAttribute("aria-label", T.close);
  document.getElementById("card-close").textContent = "✕";

  function fill(select, options) {
    options.forEach(function (option) {
      select.appendChild(el("option", { value: option[0] }, option[1]));
    });
  }
  const kind = document.getElementById("kind");
  fill(kind, [["", T.kind_all], ["initiatives", T.kind_initiatives], ["events", T.kind_events]]
    .concat(EVENT_KINDS.map(function (k) { return [k, cfg.kinds[k]]; })));
  const theme = document.getElementById("theme");
  fill(theme, [["", T.theme_all]].concat(Object.keys(cfg.themes).map(function (slug) {
    return [slug, cfg.themes[slug]];
  })));
  const place = document.getElementById("place");
  fill(place, [["", T.place_all]].concat(cfg.municipalities.map(function (n) { return [n, n]; })));

  // --- The map -----------------------------------------------------------------------------
  const map = L.map("map", { zoomControl: true, keyboard: true }).setView([52.08, 5.25], 10);
  if (cfg.tileUrl) {
    L.tileLayer(cfg.tileUrl, { attribution: cfg.tileAttribution, maxZoom: 19 }).addTo(map);
  }
  if (cfg.outline && cfg.outline.length) {
    L.polygon(cfg.outline, { color: "#1d5fa8", weight: 2, fillOpacity: 0.04, interactive: false })
      .addTo(map);
  }
  const clusters = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 45 });
  map.addLayer(clusters);
  const markers = {};  // "i12" / "e5" → marker

  function keyOf(feature) {
    return (feature.properties.type === "event" ? "e" : "i") + feature.properties.id;
  }
  function nameOf(p) { return p.type === "event" ? p.title : p.name; }

  function icon(p) {
    const approximate = p.approximate ? " approximate" : "";
    if (p.type === "event") {
      return L.divIcon({ className: "", iconSize: [28, 28],
        html: '<span class="pin event' + approximate + '">' + (KIND_ICONS[p.kind] || "📅") + "</span>" });
    }
    const colour = themeColour((p.themes || [])[0]);
    return L.divIcon({ className: "", iconSize: [28, 28],
      html: '<span class="pin initiative' + approximate + '" style="background:' + colour + '"></span>' });
  }

  // --- The card of one place ---------------------------------------------------------------
  const card = document.getElementById("card");
  const cardBody = document.getElementById("card-body");
  let mine = {};  // event id → {status, waitlist_position}, when opened from Telegram
  let lastFocus = null;

  function closeCard() {
    card.hidden = true;
    if (lastFocus) { lastFocus.focus(); }
  }
  document.getElementById("card-close").addEventListener("click", closeCard);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !card.hidden) { closeCard(); }
  });

  function openInChat(link) {
    const webApp = window.Telegram && window.Telegram.WebApp;
    if (webApp && webApp.openTelegramLink) { webApp.openTelegramLink(link); return true; }
    return false;
  }

  function showCard(feature) {
    const p = feature.properties;
    lastFocus = document.activeElement;
    cardBody.textContent = "";
    cardBody.appendChild(el("h3", { id: "card-title" }, nameOf(p)));
    if (p.type === "event") {
      const kindLine = (cfg.kinds[p.kind] || "") + (p.theme ? " · " + (cfg.themes[p.theme] || p.theme) : "");
      cardBody.appendChild(el("p", { class: "hint" }, kindLine));
      cardBody.appendChild(el("p", {}, "📅 " + when.format(new Date(p.starts_at))));
      cardBody.appendChild(el("p", {}, "📍 " + [p.venue, p.address, p.municipality].filter(Boolean).join(", ")));
      cardBody.appendChild(el("p", { class: "seats" },
        p.seats_left > 0 ? plural(T.seats_one, T.seats_other, p.seats_left) : T.full));
    } else {
      const themes = (p.themes || []).map(function (s) { return cfg.themes[s] || s; }).join(" · ");
      if (themes) { cardBody.appendChild(el("p", { class: "hint" }, "🏷 " + themes)); }
      cardBody.appendChild(el("p", {}, "📍 " + [p.municipality, p.neighbourhood].filter(Boolean).join(" · ")));
    }
    if (p.description) { cardBody.appendChild(el("p", {}, p.description)); }
    if (p.approximate) { cardBody.appendChild(el("p", { class: "hint" }, "≈ " + T.approximate)); }
    const actions = el("div", { class: "actions" });
    if (p.link) {
      const link = el("a", { href: p.link, class: "open-in-chat", target: "_blank", rel: "noopener" }, T.open_in_chat);
      link.addEventListener("click", function (event) { if (openInChat(p.link)) { event.preventDefault(); } });
      actions.appendChild(link);
    }
    if (p.type === "initiative") {
      if (p.website) { actions.appendChild(el("a", { href: /^https?:/.test(p.website) ? p.website : "https://" + p.website, target: "_blank", rel: "noopener" }, T.website)); }
      if (p.email) { actions.appendChild(el("a", { href: "mailto:" + p.email }, T.email)); }
      if (p.phone) { actions.appendChild(el("a", { href: "tel:" + p.phone }, T.phone)); }
    }
    cardBody.appendChild(actions);
    if (p.type === "event") { cardBody.appendChild(signUpPart(p)); }
    card.hidden = false;
    document.getElementById("card-close").focus();
  }

  function signUpPart(p) {
    const part = el("div", { class: "signup" });
    const status = el("p", { class: "signup-status", role: "status" });
    const own = mine[p.id];
    if (own) {
      status.textContent = own.status === "confirmed" ? T.signed_up
        : T.on_waitlist.replace("{position}", own.waitlist_position);
      part.appendChild(status);
      return part;
    }
    if (!p.open_for_signup) {
      status.textContent = T.signup_closed;
    } else if (!launch.initData) {
      status.textContent = T.signup_readonly;
      status.className += " hint";
    } else {
      const button = el("button", { type: "button", class: "signup-button" },
        p.seats_left > 0 ? T.sign_up : T.join_waitlist);
      button.addEventListener("click", function () { signUp(p, button, status); });
      part.appendChild(button);
    }
    part.appendChild(status);
    return part;
  }

  function signUp(p, button, status) {
    button.disabled = true;
    fetch("api/events/" + p.id + "/signup?lang=" + cfg.lang, {
      method: "POST", headers: { "X-Telegram-Init-Data": launch.initData },
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (answer) {
      status.textContent = answer.body.message || T.failed;
      if (answer.ok) { button.remove(); loadMine(); } else { button.disabled = false; }
    }).catch(function () {
      status.textContent = T.failed;
      button.disabled = false;
    });
  }

  function loadMine() {
    if (!launch.initData) { return Promise.resolve(); }
    return fetch("api/me", { headers: { "X-Telegram-Init-Data": launch.initData } })
      .then(function (response) { return response.ok ? response.json() : { events: [] }; })
      .then(function (body) {
        mine = {};
        body.events.forEach(function (entry) { mine[entry.event_id] = entry; });
      })
      .catch(function () { mine = {}; });
  }

  // --- Results: markers and the list hold the same places ----------------------------------
  const list = document.getElementById("list");
  const count = document.getElementById("count");
  let shown = [];

  function render(features) {
    shown = features;
    clusters.clearLayers();
    Object.keys(markers).forEach(function (key) { delete markers[key]; });
    list.textContent = "";
    const layers = [];
    features.forEach(function (feature) {
      const p = feature.properties;
      const coordinates = feature.geometry.coordinates;
      const marker = L.marker([coordinates[1], coordinates[0]], {
        icon: icon(p), title: nameOf(p), alt: nameOf(p), keyboard: true,
      });
      marker.on("click", function () { showCard(feature); });
      markers[keyOf(feature)] = marker;
      layers.push(marker);
      const item = el("li", { "data-key": keyOf(feature) });
      const button = el("button", { type: "button" });
      button.appendChild(el("span", { class: "name" }, nameOf(p)));
      let meta;
      if (p.type === "event") {
        meta = (cfg.kinds[p.kind] || "") + " · " + when.format(new Date(p.starts_at)) + " · " + p.municipality;
      } else {
        const themes = (p.themes || []).map(function (s) { return cfg.themes[s] || s; }).join(", ");
        meta = [p.municipality, themes].filter(Boolean).join(" · ");
      }
      button.appendChild(el("span", { class: "meta" }, meta));
      button.addEventListener("click", function () {
        clusters.zoomToShowLayer(marker, function () { showCard(feature); });
      });
      item.appendChild(button);
      list.appendChild(item);
    });
    clusters.addLayers(layers);
    count.textContent = features.length ? plural(T.count_one, T.count_other, features.length) : T.nothing;
    if (layers.length && !launch.start) {
      map.fitBounds(L.featureGroup(layers).getBounds(), { maxZoom: 14, padding: [20, 20] });
    }
  }

  function params() {
    const values = new URLSearchParams();
    if (theme.value) { values.set("theme", theme.value); }
    if (place.value) { values.set("municipality", place.value); }
    if (q.value.trim()) { values.set("q", q.value.trim()); }
    if (EVENT_KINDS.indexOf(kind.value) >= 0) { values.set("kind", kind.value); }
    return values.toString();
  }

  let request = 0;
  function load() {
    const mineLoaded = loadMine();
    const number = ++request;
    const wanted = kind.value;
    const query = params();
    const wantInitiatives = wanted === "" || wanted === "initiatives";
    const wantEvents = wanted !== "initiatives";
    count.textContent = T.loading;
    const asks = [
      wantInitiatives ? fetchJson("api/initiatives.geojson?" + query) : Promise.resolve({ features: [] }),
      wantEvents ? fetchJson("api/events.geojson?" + query) : Promise.resolve({ features: [] }),
      mineLoaded,
    ];
    return Promise.all(asks).then(function (answers) {
      if (number !== request) { return; }
      // A search lists its initiatives in the search engine's order, the events after them.
      render(answers[0].features.concat(answers[1].features));
      document.body.setAttribute("data-loaded", "true");
    }).catch(function () {
      count.textContent = T.load_failed;
      document.body.setAttribute("data-loaded", "failed");
    });
  }
  function fetchJson(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    });
  }

  document.getElementById("search").addEventListener("submit", function (event) {
    event.preventDefault();
    load();
  });
  document.getElementById("clear").addEventListener("click", function () {
    q.value = ""; theme.value = ""; place.value = ""; kind.value = "";
    load();
  });
  [kind, theme, place].forEach(function (select) { select.addEventListener("change", load); });

  // Opened from a card in the chat ("🗺 Op de kaart"): centred on that place, its card open.
  function focusStart() {
    const match = /^([ie])_?(\d+)$/.exec(launch.start || "");
    if (!match) { return; }
    const key = match[1] + match[2];
    const marker = markers[key];
    const feature = shown.filter(function (f) { return keyOf(f) === key; })[0];
    if (marker && feature) {
      map.setView(marker.getLatLng(), 15);
      clusters.zoomToShowLayer(marker, function () { showCard(feature); });
    }
  }

  // For people and for tests: what is on the map right now.
  window.samenspelMap = {
    map: map,
    markerCount: function () { return clusters.getLayers().length; },
    keys: function () { return shown.map(keyOf); },
    open: function (key) {
      const feature = shown.filter(function (f) { return keyOf(f) === key; })[0];
      if (feature) { showCard(feature); }
    },
  };

  const webApp = window.Telegram && window.Telegram.WebApp;
  if (webApp && webApp.ready) { webApp.ready(); }
  load().then(focusStart);
})();
