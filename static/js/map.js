/* 创新地图 — the live search of /map/ (plain ES2019, no framework, no build step).
 *
 * The panel is an ordinary GET form and the server renders the first page of results, so the
 * page works without this script. Here we:
 *   - ask /api/map/search/ twice with the same filters: once for the list (sorted, paged,
 *     cluster=0) and once for the markers of the current map view (bbox, up to 200 points,
 *     or the server's grid clusters when the view holds more than it will draw);
 *   - keep list and markers in step: rows and markers share the feature id
 *     ("instrument:12"); hovering a row highlights its marker, clicking it opens the marker's
 *     popup, opening a popup highlights and reveals the row;
 *   - "search here": a click on the map sets the search point (near) and sorts by distance;
 *     "我的位置" uses the browser's location; moving the map re-queries the view (markers, and
 *     the list while "随地图移动更新列表" is ticked).
 * The map is a folium document in an iframe (/map/frame/, same origin): we use its Leaflet
 * through contentWindow and build popup and tooltip nodes in its document. The list and the
 * first markers are requested as soon as this script runs (for Ningxia's extent, the view the
 * map opens with), not when the frame has loaded: its load event waits for every tile image,
 * which offline or with a slow tile server takes seconds or never comes. The frame posts
 * "nx-map-ready" as soon as its Leaflet map exists; the early markers are drawn then.
 * On a phone (max-width 800px) the map comes first, the filters are folded, and tapping a
 * result scrolls the map into view before its popup opens. All text from the
 * API goes in with textContent — never innerHTML — so names cannot become markup.
 */
(() => {
  "use strict";

  const config = JSON.parse(document.getElementById("map-config").textContent);
  const form = document.getElementById("map-search");
  const frame = document.getElementById("map-frame");
  const listEl = document.getElementById("map-results");
  const countEl = document.getElementById("map-count");
  const pagerEl = document.getElementById("map-pager");
  const errorsEl = document.getElementById("map-errors");
  const statusEl = document.getElementById("map-status");
  const pointEl = document.getElementById("map-point");
  const followEl = document.getElementById("map-follow");
  const locateBtn = document.getElementById("map-locate");
  const clearBtn = document.getElementById("map-clear-point");
  const paneEl = frame.closest(".map-pane");
  const moreEl = document.getElementById("map-more");
  const narrow = () => window.matchMedia("(max-width: 800px)").matches;
  const field = (name) => form.elements.namedItem(name);

  const categoryLabels = {};
  for (const groups of Object.values(config.categories)) {
    for (const group of groups) for (const [value, label] of group.options) categoryLabels[value] = label;
  }

  // Set once the map document is ready.
  let fw = null; // the frame's window
  let L = null; // its Leaflet
  let map = null;
  let cluster = null; // L.MarkerClusterGroup holding one marker per point result
  let bubbles = null; // the server's grid clusters (count bubbles)
  let pointLayer = null; // the search point and its radius
  const markers = new Map(); // feature id → marker
  let listFeatures = new Map(); // feature id → feature, for the list's current page
  let selectedId = null;
  let hoverId = null;
  // Map moves we cause (a popup panning into view, revealing a row's marker) must not reload
  // the list under the user's pointer; until this time the list ignores view changes.
  let quietUntil = 0;
  let popupOpen = false;
  let clickClosesPopup = false;
  let lastSort = field("sort").value;
  const pending = {};
  // The marker query sent before the map exists: {bbox, result: Promise}.
  let early = null;

  // --- small helpers --------------------------------------------------------------------------

  function el(doc, tag, className, text) {
    const node = doc.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function link(doc, href, className, text, top) {
    const a = el(doc, "a", className, text);
    a.href = href;
    if (top) a.target = "_top"; // links in the map frame open in the whole window
    return a;
  }

  /** 预约 / 对接 for applicants, "登录后预约" for anonymous visitors, nothing for the other
   *  roles (they would only get a 403): the page's catalog.permissions.request_mode. */
  function requestActions(doc, p, className, top) {
    if (config.requestMode === "request") {
      const nodes = [];
      if (p.book_url) nodes.push(link(doc, p.book_url, className, "预约", top));
      nodes.push(link(doc, p.contact_url, `${className} secondary`, "对接", top));
      return nodes;
    }
    if (config.requestMode === "login") {
      const next = p.book_url || p.contact_url;
      const href = `${config.loginUrl}?next=${encodeURIComponent(next)}`;
      return [link(doc, href, `${className} secondary login-to-book`, p.book_url ? "登录后预约" : "登录后对接", top)];
    }
    return null;
  }

  function priceText(p) {
    if (p.price === null || p.price === undefined) return "";
    const value = Number(p.price);
    const shown = Number.isInteger(value)
      ? value.toLocaleString("zh-CN")
      : value.toLocaleString("zh-CN", {minimumFractionDigits: 2, maximumFractionDigits: 2});
    return `${shown} ${p.unit || ""}`.trim();
  }

  function ratingText(p) {
    return p.rating_count ? `★ ${Number(p.rating).toFixed(1)}（${p.rating_count} 条评价）` : "暂无评价";
  }

  function distanceText(metres) {
    if (metres === null || metres === undefined) return "";
    return metres < 1000 ? `${Math.round(metres)} 米` : `${(metres / 1000).toFixed(1)} 公里`;
  }

  function showStatus(text) {
    statusEl.textContent = text || "";
    statusEl.hidden = !text;
  }

  function showErrors(errors) {
    if (!errors) {
      errorsEl.replaceChildren();
      errorsEl.hidden = true;
      return;
    }
    const lines = [];
    if (typeof errors === "string") lines.push(errors);
    else {
      for (const [name, messages] of Object.entries(errors)) {
        const label = name in config.labels ? config.labels[name] : name;
        for (const message of [].concat(messages)) lines.push(label ? `${label}：${message}` : String(message));
      }
    }
    errorsEl.replaceChildren(...lines.map((line) => el(document, "li", null, line)));
    errorsEl.hidden = false;
  }

  // --- queries ----------------------------------------------------------------------------------

  /** The panel's values as search parameters (empty and disabled fields left out). */
  function formParams() {
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      const text = String(value).trim();
      if (text) params.set(name, text);
    }
    if (params.get("page") === "1") params.delete("page");
    return params;
  }

  function viewBBox() {
    if (!map) return config.bounds.map((v) => v.toFixed(5)).join(",");
    const b = map.getBounds();
    const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
    return [
      clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90),
      clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90),
    ].map((v) => v.toFixed(5)).join(",");
  }

  /** GET the search API; a newer request of the same key cancels the older one (→ null). */
  async function search(key, params) {
    if (pending[key]) pending[key].abort();
    const controller = new AbortController();
    pending[key] = controller;
    try {
      const response = await fetch(`${config.api}?${params}`, {
        signal: controller.signal, headers: {Accept: "application/json"}, credentials: "same-origin",
      });
      const data = await response.json();
      return {ok: response.ok, data};
    } catch (err) {
      if (err.name === "AbortError") return null;
      return {ok: false, data: {detail: "网络错误，请稍后重试。"}};
    } finally {
      if (pending[key] === controller) pending[key] = null;
    }
  }

  function searchAll() {
    searchList();
    searchMarkers();
  }

  function resetPage() {
    field("page").value = "1";
  }

  async function searchList() {
    const params = formParams();
    const query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? `?${query}` : ""));
    params.set("page_size", config.pageSize);
    params.set("cluster", "0");
    const inView = followEl.checked;
    if (inView) params.set("bbox", viewBBox());
    const result = await search("list", params);
    if (!result) return;
    if (!result.ok) {
      showErrors(result.data);
      listFeatures = new Map();
      listEl.replaceChildren();
      countEl.textContent = "请修正上面的搜索条件。";
      pagerEl.hidden = true;
      return;
    }
    showErrors(null);
    renderList(result.data, inView);
  }

  function markerQuery() {
    const params = formParams();
    const bbox = viewBBox();
    params.delete("page");
    params.set("bbox", bbox);
    params.set("page_size", config.markerLimit);
    params.set("cluster", "auto");
    return {bbox, result: search("markers", params)};
  }

  async function searchMarkers() {
    if (!map) {
      // Drawn by onMapReady; a newer query made before then replaces (aborts) this one.
      early = markerQuery();
      return;
    }
    const result = await markerQuery().result;
    if (result) drawMarkers(result);
  }

  function drawMarkers(result) {
    if (!result.ok) {
      // The list request shows what is wrong with the parameters.
      syncMarkers([]);
      bubbles.clearLayers();
      showStatus("");
      return;
    }
    const data = result.data;
    const count = `${data.count}${data.count_exact ? "" : "+"}`;
    if (data.clustered) {
      syncMarkers([]);
      drawBubbles(data.features);
      showStatus(`视野内 ${count} 个结果，已按区域汇总，点击数字放大查看。`);
      return;
    }
    bubbles.clearLayers();
    syncMarkers(data.features);
    showStatus(data.count > data.features.length
      ? `视野内 ${count} 个结果，地图上显示前 ${data.features.length} 个，放大可查看更多。`
      : `视野内 ${count} 个结果。`);
  }

  // --- the list ---------------------------------------------------------------------------------

  function rowNode(f) {
    const p = f.properties;
    const row = el(document, "li", "result");
    row.dataset.id = f.id;
    row.tabIndex = 0;
    const title = el(document, "div", "result-title");
    title.append(el(document, "span", `kind kind-${p.kind}`, config.kinds[p.kind] || p.kind),
      link(document, p.url, "result-name", p.name));
    row.append(title);
    if (p.kind !== "institution") row.append(link(document, p.institution_url, "result-inst", p.institution));
    const meta = el(document, "div", "result-meta");
    meta.append(el(document, "span", "rating", ratingText(p)));
    if (priceText(p)) meta.append(el(document, "span", "price", priceText(p)));
    if (distanceText(p.distance_m)) meta.append(el(document, "span", "distance", distanceText(p.distance_m)));
    if (p.region) meta.append(el(document, "span", "region", p.region));
    if (p.voucher_eligible) meta.append(el(document, "span", "badge", "可用创新券"));
    row.append(meta);
    const actions = requestActions(document, p, "button small");
    if (actions) {
      const box = el(document, "div", "result-actions");
      box.append(...actions);
      row.append(box);
    }
    return row;
  }

  function renderList(data, inView) {
    listFeatures = new Map(data.features.map((f) => [f.id, f]));
    hoverId = null;
    listEl.replaceChildren(...data.features.map(rowNode));
    if (data.count) {
      countEl.replaceChildren(inView ? "地图范围内 " : "共 ",
        el(document, "strong", null, `${data.count}${data.count_exact ? "" : "+"}`), " 条结果");
    } else {
      countEl.textContent = inView
        ? "地图范围内没有符合条件的结果，试试缩小地图或放宽筛选条件。"
        : "没有找到符合条件的结果，试试其他关键词或放宽筛选条件。";
    }
    renderPager(data);
    if (selectedId) markRow(selectedId, "selected", true);
  }

  function renderPager(data) {
    const pages = Math.max(1, Math.ceil(data.count / data.page_size));
    const nodes = [];
    const button = (text, page) => {
      const b = el(document, "button", "secondary", text);
      b.type = "button";
      b.dataset.page = String(page);
      return b;
    };
    if (data.page > 1) nodes.push(button("上一页", data.page - 1));
    nodes.push(el(document, "span", null, `第 ${data.page} / ${pages}${data.count_exact ? "" : "+"} 页`));
    if (data.page < pages) nodes.push(button("下一页", data.page + 1));
    pagerEl.replaceChildren(...nodes);
    pagerEl.hidden = pages < 2;
  }

  function rowFor(id) {
    for (const row of listEl.children) if (row.dataset.id === id) return row;
    return null;
  }

  function markRow(id, className, on) {
    const row = rowFor(id);
    if (row) row.classList.toggle(className, on);
    return row;
  }

  // --- markers ----------------------------------------------------------------------------------

  function markMarker(id, className, on) {
    const marker = markers.get(id);
    if (!marker || !map) return;
    // The marker itself, or the cluster that holds it at this zoom.
    const shown = cluster.getVisibleParent(marker);
    const node = shown && shown.getElement && shown.getElement();
    if (node) node.classList.toggle(className, on);
  }

  function highlight(id, on) {
    markRow(id, "hover", on);
    markMarker(id, "nx-hover", on);
  }

  function select(id) {
    if (selectedId) {
      markRow(selectedId, "selected", false);
      markMarker(selectedId, "nx-selected", false);
    }
    selectedId = id;
    if (id) {
      const row = markRow(id, "selected", true);
      // On a phone the list is below the map: scrolling to the row would hide the popup.
      if (row && !narrow()) row.scrollIntoView({block: "nearest"});
      markMarker(id, "nx-selected", true);
    }
  }

  function tooltipNode(f) {
    const doc = fw.document;
    const p = f.properties;
    const box = el(doc, "div", "nx-tip");
    box.append(el(doc, "strong", null, p.name));
    if (p.kind !== "institution") box.append(el(doc, "span", null, p.institution));
    return box;
  }

  function popupNode(f) {
    const doc = fw.document;
    const p = f.properties;
    const box = el(doc, "div", "nx-popup");
    const title = el(doc, "div", "nx-popup-title");
    title.append(el(doc, "span", `kind kind-${p.kind}`, config.kinds[p.kind] || p.kind),
      link(doc, p.url, "nx-popup-name", p.name, true));
    box.append(title);
    if (p.kind !== "institution") box.append(link(doc, p.institution_url, "nx-popup-inst", p.institution, true));
    const facts = el(doc, "dl", "nx-popup-facts");
    const fact = (label, value) => facts.append(el(doc, "dt", null, label), el(doc, "dd", null, value));
    fact("评分", ratingText(p));
    if (p.kind !== "institution") fact("价格", priceText(p) || "面议");
    fact("距离", distanceText(p.distance_m) || "未设定搜索点");
    if (p.category) fact("类别", categoryLabels[p.category] || p.category);
    if (p.region) fact("地区", p.region);
    box.append(facts);
    if (p.voucher_eligible) box.append(el(doc, "span", "badge", "可用创新券"));
    const actions = requestActions(doc, p, "button", true);
    if (actions) {
      const row = el(doc, "div", "nx-popup-actions");
      row.append(...actions);
      box.append(row);
    }
    return box;
  }

  function makeMarker(f) {
    const [lng, lat] = f.geometry.coordinates;
    // The kind's letter comes from map.css (::after), so the icon holds no markup at all.
    const icon = L.divIcon({
      className: `nx-pin nx-pin-${f.properties.kind}`, html: "",
      iconSize: [26, 26], iconAnchor: [13, 13], popupAnchor: [0, -12], tooltipAnchor: [0, -14],
    });
    const marker = L.marker([lat, lng], {icon, riseOnHover: true});
    marker.feature = f; // updated in place by syncMarkers (distances change with the point)
    marker.bindTooltip(() => tooltipNode(marker.feature), {direction: "top"});
    marker.bindPopup(() => popupNode(marker.feature), {minWidth: 220, maxWidth: 300, autoPanPadding: [30, 30]});
    marker.on("add", () => {
      const node = marker.getElement();
      node.dataset.id = marker.feature.id;
      node.classList.toggle("nx-selected", marker.feature.id === selectedId);
    });
    marker.on("mouseover", () => markRow(marker.feature.id, "hover", true));
    marker.on("mouseout", () => markRow(marker.feature.id, "hover", false));
    marker.on("popupopen", () => {
      quietUntil = performance.now() + 1500;
      select(marker.feature.id);
    });
    marker.on("popupclose", () => {
      if (selectedId === marker.feature.id) select(null);
    });
    markers.set(f.id, marker);
    return marker;
  }

  /** Make the cluster layer hold exactly these features, keeping markers that stay (and the
   *  one whose popup is open) so nothing the user is looking at flickers. */
  function syncMarkers(features) {
    const wanted = new Set(features.map((f) => f.id));
    const gone = [];
    for (const [id, marker] of markers) {
      if (!wanted.has(id) && !marker.isPopupOpen()) {
        gone.push(marker);
        markers.delete(id);
      }
    }
    cluster.removeLayers(gone);
    const added = [];
    for (const f of features) {
      const marker = markers.get(f.id);
      if (marker) marker.feature = f;
      else added.push(makeMarker(f));
    }
    cluster.addLayers(added);
  }

  /** The server's grid cells, merged when their bubbles would overlap on screen. */
  function drawBubbles(features) {
    bubbles.clearLayers();
    const merged = [];
    const byCount = features.slice().sort((a, b) => b.properties.count - a.properties.count);
    for (const f of byCount) {
      const [lng, lat] = f.geometry.coordinates;
      const at = map.latLngToLayerPoint([lat, lng]);
      const n = f.properties.count;
      const near = merged.find((b) => b.at.distanceTo(at) < 60);
      if (near) {
        near.lng = (near.lng * near.n + lng * n) / (near.n + n);
        near.lat = (near.lat * near.n + lat * n) / (near.n + n);
        near.n += n;
      } else merged.push({at, lng, lat, n});
    }
    for (const {lng, lat, n} of merged) {
      const size = n < 10 ? 30 : n < 100 ? 36 : n < 1000 ? 42 : 48;
      const icon = L.divIcon({
        className: "nx-bubble", html: el(fw.document, "span", null, n),
        iconSize: [size, size], iconAnchor: [size / 2, size / 2],
      });
      const bubble = L.marker([lat, lng], {icon, title: `${n} 个结果，点击放大`});
      bubble.on("click", () => map.setView([lat, lng], Math.min(map.getZoom() + 2, map.getMaxZoom())));
      bubbles.addLayer(bubble);
    }
  }

  /** Open a result's popup on the map (from the list), adding its marker if the view lacks it. */
  function focusResult(id) {
    if (!map) return;
    let marker = markers.get(id);
    if (!marker) {
      const f = listFeatures.get(id);
      if (!f) return;
      marker = makeMarker(f);
      cluster.addLayer(marker);
    }
    quietUntil = performance.now() + 1500;
    // The popup opens where the user is looking: on a phone, bring the map up first.
    if (narrow()) paneEl.scrollIntoView({block: "nearest"});
    cluster.zoomToShowLayer(marker, () => marker.openPopup());
  }

  // --- the search point ("search here", "near me") ----------------------------------------------

  function currentPoint() {
    const near = field("near").value;
    if (!near) return null;
    const [lng, lat] = near.split(",").map(Number);
    return Number.isFinite(lng) && Number.isFinite(lat) ? {lng, lat} : null;
  }

  function drawPoint() {
    if (!map) return;
    pointLayer.clearLayers();
    const point = currentPoint();
    if (!point) return;
    const km = Number(field("radius_km").value);
    if (km > 0) {
      pointLayer.addLayer(L.circle([point.lat, point.lng], {
        radius: km * 1000, color: "#b3261e", weight: 1, fillOpacity: 0.06, interactive: false,
      }));
    }
    const here = L.marker([point.lat, point.lng], {
      icon: L.divIcon({className: "nx-here", html: "", iconSize: [22, 22], iconAnchor: [11, 11]}),
      draggable: true, zIndexOffset: 1000, keyboard: false,
    });
    here.bindTooltip("搜索点（可拖动）", {direction: "top", offset: [0, -8]});
    here.on("dragend", () => {
      const ll = here.getLatLng();
      setPoint(ll.lng, ll.lat);
    });
    pointLayer.addLayer(here);
  }

  function showPoint() {
    const point = currentPoint();
    pointEl.textContent = point
      ? `搜索点：东经 ${point.lng.toFixed(4)}°，北纬 ${point.lat.toFixed(4)}°（点击地图可重新设定）`
      : "点击地图可设定搜索点（在此搜索），结果按距离排序。";
    clearBtn.hidden = !point;
    field("radius_km").disabled = !point;
  }

  function setPoint(lng, lat, options) {
    field("near").value = `${lng.toFixed(5)},${lat.toFixed(5)}`;
    field("sort").value = "distance";
    lastSort = "distance";
    resetPage();
    showPoint();
    drawPoint();
    if (options && options.fly) map.flyTo([lat, lng], Math.max(map.getZoom(), 12));
    searchAll();
  }

  function clearPoint() {
    field("near").value = "";
    field("radius_km").value = "";
    if (field("sort").value === "distance") field("sort").value = "popularity";
    lastSort = field("sort").value;
    resetPage();
    showPoint();
    drawPoint();
    searchAll();
  }

  // --- panel ------------------------------------------------------------------------------------

  function fillCategories(module) {
    const select = field("category");
    const current = select.value;
    const nodes = [new Option("全部类别", "")];
    for (const group of config.categories[module] || []) {
      const options = group.options.map(([value, label]) => new Option(label, value));
      if (group.group) {
        const optgroup = el(document, "optgroup");
        optgroup.label = group.group;
        optgroup.append(...options);
        nodes.push(optgroup);
      } else nodes.push(...options);
    }
    select.replaceChildren(...nodes);
    select.value = current;
    if (select.value !== current) select.selectedIndex = 0;
  }

  function onModuleChange() {
    const module = form.elements.module.value;
    fillCategories(module);
    const date = field("date");
    const dated = module === "instrument";
    date.disabled = !dated;
    date.closest("label").hidden = !dated;
    if (!dated) date.value = "";
  }

  /** Frame a city or county (its boundary from the map document), or all of Ningxia. */
  function fitRegion(adcode, animate) {
    if (!map) return;
    const bounds = L.latLngBounds([]);
    map.eachLayer((layer) => {
      const props = layer.feature && layer.feature.properties;
      if (!props || props.adcode === undefined || !layer.getBounds) return;
      const code = String(props.adcode);
      if (adcode ? code === adcode : code.endsWith("00")) bounds.extend(layer.getBounds());
    });
    if (bounds.isValid()) map.fitBounds(bounds, {padding: [10, 10], animate: Boolean(animate)});
  }

  let typing = null;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(typing);
    resetPage();
    searchAll();
  });
  field("q").addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      resetPage();
      searchAll();
    }, 400);
  });
  form.addEventListener("change", (event) => {
    const name = event.target.name;
    if (!name || name === "q") return;
    if (name === "module") onModuleChange();
    if (name === "sort") {
      if (event.target.value === "distance" && !currentPoint()) {
        event.target.value = lastSort;
        showErrors({sort: ["请先点击地图设定搜索点，或使用“我的位置”。"]});
        return;
      }
      lastSort = event.target.value;
    }
    if (name === "radius_km") drawPoint();
    resetPage();
    searchAll();
    if (name === "region") fitRegion(event.target.value, true);
  });
  clearBtn.addEventListener("click", clearPoint);
  if ("geolocation" in navigator) {
    locateBtn.hidden = false;
    locateBtn.addEventListener("click", () => {
      showStatus("正在获取您的位置…");
      navigator.geolocation.getCurrentPosition(
        (pos) => setPoint(pos.coords.longitude, pos.coords.latitude, {fly: true}),
        (err) => showStatus(err.code === err.PERMISSION_DENIED
          ? "无法获取位置：浏览器未允许定位。可直接点击地图设定搜索点。"
          : "暂时无法获取位置，请直接点击地图设定搜索点。"),
        {timeout: 10000, maximumAge: 60000},
      );
    });
  }
  document.getElementById("map-follow-label").hidden = false;
  followEl.addEventListener("change", () => {
    resetPage();
    searchList();
  });

  pagerEl.addEventListener("click", (event) => {
    const target = event.target.closest("[data-page]");
    if (!target) return;
    event.preventDefault();
    field("page").value = target.dataset.page;
    searchList();
    listEl.closest(".map-side").scrollTop = 0;
  });

  listEl.addEventListener("mouseover", (event) => {
    const row = event.target.closest(".result");
    const id = row ? row.dataset.id : null;
    if (id === hoverId) return;
    if (hoverId) highlight(hoverId, false);
    hoverId = id;
    if (id) highlight(id, true);
  });
  listEl.addEventListener("mouseleave", () => {
    if (hoverId) highlight(hoverId, false);
    hoverId = null;
  });
  listEl.addEventListener("click", (event) => {
    if (event.target.closest("a, button")) return;
    const row = event.target.closest(".result");
    if (row) focusResult(row.dataset.id);
  });
  listEl.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || !event.target.matches(".result")) return;
    focusResult(event.target.dataset.id);
  });

  // --- the map ----------------------------------------------------------------------------------

  function onMapReady(win) {
    fw = win;
    L = win.L;
    map = win.NX_MAP;
    map.eachLayer((layer) => {
      if (layer instanceof L.MarkerClusterGroup) cluster = layer;
    });
    if (!cluster) cluster = L.markerClusterGroup().addTo(map);
    bubbles = L.layerGroup().addTo(map);
    pointLayer = L.layerGroup().addTo(map);
    L.control.scale({imperial: false}).addTo(map);

    map.on("popupopen", () => { popupOpen = true; });
    map.on("popupclose", () => { popupOpen = false; });
    // A click that only closes a popup should not also move the search point.
    map.on("mousedown", () => { clickClosesPopup = popupOpen; });
    map.on("click", (event) => {
      if (clickClosesPopup) return;
      setPoint(event.latlng.lng, event.latlng.lat);
    });
    let moved = null;
    map.on("moveend", () => {
      clearTimeout(moved);
      moved = setTimeout(() => {
        searchMarkers();
        if (followEl.checked && performance.now() > quietUntil) {
          resetPage();
          searchList();
        }
      }, 250);
    });

    showPoint();
    drawPoint();
    const region = field("region").value;
    // Framing a region moves the map, and moveend asks for that view's markers.
    if (region) fitRegion(region);
    const first = early;
    early = null;
    if (!first) {
      searchMarkers();
      return;
    }
    first.result.then((result) => {
      if (!result) return; // replaced by a newer query
      drawMarkers(result);
      // The map's real view is a little wider than Ningxia's extent: top up its edges.
      if (!region && viewBBox() !== first.bbox) searchMarkers();
    });
  }

  function whenMapReady() {
    let ready = false;
    const tryReady = () => {
      const win = frame.contentWindow;
      if (ready || !win || !win.NX_MAP || !win.L) return ready;
      ready = true;
      onMapReady(win);
      return true;
    };
    window.addEventListener("message", (event) => {
      if (event.source === frame.contentWindow && event.data === "nx-map-ready") tryReady();
    });
    if (tryReady()) return;
    frame.addEventListener("load", () => {
      if (!tryReady()) showStatus("地图加载失败，列表仍可使用。");
    }, {once: true});
  }

  // On a phone the map comes first: fold the filters unless one is set or wrong.
  if (narrow() && errorsEl.hidden) {
    const params = formParams();
    const set = ["region", "category", "min_price", "max_price", "min_rating", "date", "voucher", "radius_km"]
      .some((name) => params.has(name));
    if (!set) moreEl.open = false;
  }
  showPoint();
  whenMapReady();
  searchAll();
})();
