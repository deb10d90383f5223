// The sandbox page: polls the workspace's state and sends what a person does.
// Every action goes to the sandbox's Django views, which sign it and send it
// to Case's /slack/events as Slack would; message HTML is drawn server-side.
"use strict";

const page = document.body.dataset;
const state = { person: page.person, channel: page.channel, digest: "", view: null };
const $ = (id) => document.getElementById(id);

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

async function post(url, body) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
    body: JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error || `HTTP ${response.status}`);
  return data;
}

function say(text, isError = false) {
  const status = $("status");
  status.textContent = text;
  status.classList.toggle("error", isError);
}

// --- State: people, channels, messages, the open modal ---------------------

async function refresh() {
  const query = new URLSearchParams({ person: state.person, channel: state.channel });
  if (state.view) query.set("view", state.view.id);
  const response = await fetch(`${page.stateUrl}?${query}`);
  if (!response.ok) return;
  const data = await response.json();
  drawPeople(data.people);
  drawChannels(data.channels);
  if (data.digest !== state.digest) {
    state.digest = data.digest;
    drawMessages(data.messages);
  }
  if (state.view && data.view && data.view.digest !== state.view.digest) openModal(data.view);
}

function drawPeople(people) {
  const select = $("person");
  if (select.options.length === people.length) return;
  select.replaceChildren(...people.map((p) => {
    const option = new Option(p.kind === "member" ? p.name : `${p.name} (${p.kind})`, p.id);
    option.selected = p.id === state.person;
    return option;
  }));
}

function channelItem(channel) {
  const item = document.createElement("li");
  const link = document.createElement("a");
  link.href = `#${channel.id}`;
  link.dataset.channel = channel.id;
  link.className = "channel-link";
  link.textContent = channel.dm ? channel.name : `# ${channel.name}`;
  if (channel.archived) {
    item.classList.add("archived");
    link.append(Object.assign(document.createElement("span"),
      { className: "badge", textContent: "archived" }));
  }
  item.classList.toggle("current", channel.id === state.channel);
  item.append(link);
  return item;
}

function drawChannels(channels) {
  $("channels").replaceChildren(...channels.filter((c) => !c.dm).map(channelItem));
  $("dms").replaceChildren(...channels.filter((c) => c.dm).map(channelItem));
  const current = channels.find((c) => c.id === state.channel);
  if (!current) return;
  $("channel-name").textContent = current.dm ? current.name : `#${current.name}`;
  $("channel-topic").textContent = current.topic;
  const composer = $("text");
  composer.disabled = current.archived;
  composer.placeholder = current.archived
    ? "This channel is archived."
    : `Message #${current.name}, or /case help`;
}

function drawMessages(messages) {
  const list = $("messages");
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  list.replaceChildren(...messages.map((m) => {
    const item = document.createElement("li");
    item.className = "message";
    item.dataset.ts = m.ts;
    item.classList.toggle("ephemeral", m.ephemeral);
    item.classList.toggle("reply", m.thread && !m.broadcast);
    const head = document.createElement("div");
    head.className = "meta";
    head.append(Object.assign(document.createElement("strong"), { textContent: m.author }));
    if (m.app) head.append(Object.assign(document.createElement("span"), { className: "badge", textContent: "APP" }));
    head.append(Object.assign(document.createElement("time"), { textContent: m.time }));
    if (m.ephemeral) head.append(Object.assign(document.createElement("span"), { className: "note", textContent: "Only visible to you" }));
    if (m.thread) head.append(Object.assign(document.createElement("span"), { className: "note", textContent: m.broadcast ? "replied to a thread (also sent to the channel)" : "reply in thread" }));
    if (m.edited) head.append(Object.assign(document.createElement("span"), { className: "note", textContent: "(edited)" }));
    const body = document.createElement("div");
    body.className = "body";
    body.innerHTML = m.html; // built and escaped by the server (blockkit.py)
    for (const name of m.files) body.append(Object.assign(document.createElement("div"), { className: "file", textContent: `📎 ${name}` }));
    item.append(head, body);
    if (!m.ephemeral) item.append($("message-actions").content.cloneNode(true));
    return item;
  }));
  if (atBottom) list.scrollTop = list.scrollHeight;
}

function switchTo(channel) {
  state.channel = channel;
  state.digest = "";
  refresh();
}

// --- What a person does ------------------------------------------------------

async function send(event) {
  event.preventDefault();
  const input = $("text");
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  try {
    const result = await post(page.sendUrl, { person: state.person, channel: state.channel, text });
    say(result.ok ? `Sent “${text}”` : result.error, !result.ok);
  } catch (error) {
    say(error.message, true);
  }
  await refresh();
}

async function collect(ts) {
  say("Opening Collect Evidence…");
  try {
    const result = await post(page.shortcutUrl, { person: state.person, channel: state.channel, ts });
    if (result.view) { openModal(result.view); say(""); } else { say("Case answered without a modal."); }
  } catch (error) {
    say(error.message, true);
  }
  await refresh();
}

// --- The modal ---------------------------------------------------------------

function openModal(view) {
  state.view = view;
  $("modal-title").textContent = view.title;
  $("modal-submit").textContent = view.submit || "Submit";
  $("modal-submit").hidden = !view.submit;
  $("modal-close").textContent = view.close || "Cancel";
  $("modal-error").textContent = "";
  $("modal-body").innerHTML = view.html; // built and escaped by the server
  for (const select of $("modal-body").querySelectorAll(".bk-external")) wireExternalSelect(select);
  if (!$("modal").open) $("modal").showModal();
}

function closeModal() {
  state.view = null;
  if ($("modal").open) $("modal").close();
}

function wireExternalSelect(select) {
  const query = select.querySelector(".bk-query");
  const list = select.querySelector(".bk-suggestions");
  const blockId = select.closest("[data-block-id]").dataset.blockId;
  let timer = null;
  const ask = async () => {
    // The box shows the chosen option until the person types: then it is a search.
    const typed = select.dataset.value && query.value === select.dataset.text ? "" : query.value;
    if (typed.length < Number(select.dataset.minQuery)) { list.replaceChildren(); return; }
    const { options } = await post(page.suggestUrl, {
      person: state.person, view_id: state.view.id, block_id: blockId,
      action_id: select.dataset.actionId, value: typed,
    });
    list.replaceChildren(...options.map((option) => {
      const item = document.createElement("li");
      item.setAttribute("role", "option");
      item.textContent = option.group ? `${option.group} · ${option.text}` : option.text;
      item.addEventListener("click", () => {
        select.dataset.value = option.value;
        select.dataset.text = option.text;
        query.value = option.text;
        list.replaceChildren();
      });
      return item;
    }));
    if (!options.length) list.append(Object.assign(document.createElement("li"), { className: "empty", textContent: "No matches" }));
  };
  query.addEventListener("input", () => {
    select.dataset.value = "";
    select.dataset.text = "";
    clearTimeout(timer);
    timer = setTimeout(ask, 200);
  });
  query.addEventListener("focus", () => { query.select(); ask(); });
}

function enteredValues() {
  const values = {};
  for (const block of $("modal-body").querySelectorAll("[data-block-id]")) {
    const control = block.querySelector("[data-action-id]");
    if (!control) continue;
    if (control.classList.contains("bk-external")) {
      values[block.dataset.blockId] = { value: control.dataset.value, text: control.dataset.text };
    } else {
      values[block.dataset.blockId] = { value: control.value };
    }
  }
  return values;
}

async function submitModal(event) {
  event.preventDefault();
  for (const error of $("modal").querySelectorAll(".bk-error")) error.textContent = "";
  try {
    const outcome = await post(page.submitUrl, { person: state.person, view_id: state.view.id, values: enteredValues() });
    if (outcome.action === "close") closeModal();
    else if (outcome.action === "update") openModal(outcome.view);
    else if (outcome.action === "errors") showErrors(outcome.errors);
    else $("modal-error").textContent = outcome.message;
  } catch (error) {
    $("modal-error").textContent = error.message;
  }
  await refresh();
}

function showErrors(errors) {
  for (const [blockId, message] of Object.entries(errors)) {
    const block = $("modal-body").querySelector(`[data-block-id="${CSS.escape(blockId)}"] .bk-error`);
    (block || $("modal-error")).textContent = message;
  }
}

// --- Wiring ------------------------------------------------------------------

document.addEventListener("click", (event) => {
  const link = event.target.closest("a.channel-link");
  if (link) {
    event.preventDefault();
    if (link.closest("#modal")) closeModal();
    switchTo(link.dataset.channel);
    return;
  }
  const button = event.target.closest("button.collect");
  if (button) collect(button.closest(".message").dataset.ts);
});
$("person").addEventListener("change", (event) => { state.person = event.target.value; state.digest = ""; closeModal(); refresh(); });
$("composer").addEventListener("submit", send);
$("modal-form").addEventListener("submit", submitModal);
$("modal-close").addEventListener("click", closeModal);
$("modal").addEventListener("cancel", () => { state.view = null; });
refresh();
setInterval(refresh, 1000);
