// NeuralIK web app: the robot drawn from /api/robot, a draggable target, live solves over the
// /api/live WebSocket (latest target wins), and a panel with the answer. three.js r111 comes from
// Debian's libjs-three, served by neural-ik under /three/.
import * as THREE from '/three/build/three.module.js';
import { OrbitControls } from '/three/examples/jsm/controls/OrbitControls.js';
import { TransformControls } from '/three/examples/jsm/controls/TransformControls.js';
import { showMap } from '/map.js';

const errors = [];
const originalError = console.error.bind(console);
console.error = (...args) => { errors.push(args.map(String).join(' ')); originalError(...args); };
window.addEventListener('error', (e) => errors.push(String(e.message)));
window.addEventListener('unhandledrejection', (e) => errors.push(String(e.reason)));

// State the end-to-end test reads: what the panel shows, as numbers.
const state = { ready: false, solveCount: 0, status: 'idle', jointValues: [], jointNames: [], positionError: null,
  rotationError: null, targetKind: 'position', gap: null, reachedPosition: null, closestPoint: null, target: null, solver: null, milliseconds: null, solutions: 0 };

THREE.Object3D.DefaultUp.set(0, 0, 1); // robotics convention: z up

const container = document.getElementById('scene');
const renderer = new THREE.WebGLRenderer({ antialias: true });
renderer.setPixelRatio(window.devicePixelRatio);
container.appendChild(renderer.domElement);
const scene = new THREE.Scene();
scene.background = new THREE.Color(0x0d1117);
const camera = new THREE.PerspectiveCamera(45, 1, 0.01, 1000);
scene.add(new THREE.HemisphereLight(0xffffff, 0x30363d, 0.9));
const sun = new THREE.DirectionalLight(0xffffff, 0.6);
sun.position.set(3, -2, 5);
scene.add(sun);
const orbit = new OrbitControls(camera, renderer.domElement);
orbit.enableDamping = true;

let robot = null;
let scale = 1;
// Pose targets (a model trained for poses): the target carries an orientation, shown by its axes.
let poses = false;
const armGroup = new THREE.Group();
const ghostGroup = new THREE.Group();
scene.add(armGroup, ghostGroup);

const materials = {
  link: new THREE.MeshStandardMaterial({ color: 0x8fa3bf, metalness: 0.3, roughness: 0.5 }),
  joint: new THREE.MeshStandardMaterial({ color: 0x4c8dff, metalness: 0.2, roughness: 0.4 }),
  ghost: new THREE.MeshStandardMaterial({ color: 0x8fa3bf, transparent: true, opacity: 0.22, depthWrite: false }),
  target: new THREE.MeshStandardMaterial({ color: 0xff9f1c, emissive: 0x552b00 }),
  closest: new THREE.MeshStandardMaterial({ color: 0xff5c5c, emissive: 0x440000 }),
  tip: new THREE.MeshStandardMaterial({ color: 0x3ecf8e, emissive: 0x0b3b25 }),
};
const unitCylinder = new THREE.CylinderGeometry(1, 1, 1, 20);
const unitSphere = new THREE.SphereGeometry(1, 24, 16);
const yAxis = new THREE.Vector3(0, 1, 0);

function segment(from, to, radius, material) {
  const a = new THREE.Vector3(...from), b = new THREE.Vector3(...to);
  const length = a.distanceTo(b);
  const mesh = new THREE.Mesh(unitCylinder, material);
  if (length < 1e-9) { mesh.visible = false; return mesh; }
  mesh.position.copy(a).add(b).multiplyScalar(0.5);
  mesh.quaternion.setFromUnitVectors(yAxis, b.clone().sub(a).normalize());
  mesh.scale.set(radius, length, radius);
  return mesh;
}

// Object3D.clear() arrived after r111.
function empty(group) { while (group.children.length) group.remove(group.children[0]); }

function ball(position, radius, material) {
  const mesh = new THREE.Mesh(unitSphere, material);
  mesh.position.set(...position);
  mesh.scale.setScalar(radius);
  return mesh;
}

// One arm: links between successive joint origins, a sphere and an axis line at each joint.
function drawArm(group, drawn, ghost) {
  const r = scale * 0.018;
  const frames = drawn.frames;
  for (let i = 0; i + 1 < frames.length; i++) group.add(segment(frames[i], frames[i + 1], r, ghost ? materials.ghost : materials.link));
  if (ghost) return;
  drawn.axes.forEach((axis, i) => {
    group.add(ball(frames[i], r * 1.6, materials.joint));
    const p = new THREE.Vector3(...frames[i]);
    const d = new THREE.Vector3(...axis).multiplyScalar(scale * 0.08);
    const line = new THREE.Line(new THREE.BufferGeometry().setFromPoints([p.clone().sub(d), p.clone().add(d)]),
      new THREE.LineBasicMaterial({ color: 0xffd166 }));
    group.add(line);
  });
  group.add(ball(frames[frames.length - 1], r * 1.3, materials.tip));
  if (poses) {
    const [w, x, y, z] = drawn.solution.reached_orientation;
    const axes = new THREE.AxesHelper(scale * 0.12);
    axes.position.set(...frames[frames.length - 1]);
    axes.quaternion.set(x, y, z, w);
    group.add(axes);
  }
}

const target = new THREE.Mesh(unitSphere, materials.target);
const closest = new THREE.Mesh(unitSphere, materials.closest);
const gapLine = new THREE.Line(new THREE.BufferGeometry().setFromPoints([new THREE.Vector3(), new THREE.Vector3()]),
  new THREE.LineDashedMaterial({ color: 0xff5c5c, dashSize: 0.02, gapSize: 0.01 }));
scene.add(target, closest, gapLine);
closest.visible = false;
gapLine.visible = false;
const gizmo = new TransformControls(camera, renderer.domElement);
gizmo.attach(target);
scene.add(gizmo);
gizmo.addEventListener('dragging-changed', (e) => { orbit.enabled = !e.value; });
gizmo.addEventListener('objectChange', () => requestSolve());

// Live solving: one request in flight; while it is, only the newest target waits (latest wins).
let socket = null;
let inFlight = false;
let pending = false;
let requestId = 0;
const waiters = [];
// Reconnects after a second, then less often while the server stays away (each try logs an error
// in the console); once back, the target shown is solved again.
let retryDelay = 1000;
let disconnected = false;
function connect() {
  const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/api/live';
  socket = new WebSocket(url);
  socket.onmessage = (event) => {
    inFlight = false;
    const reply = JSON.parse(event.data);
    if (reply.error) showFailure('NOT SOLVED', reply.error); else show(reply);
    if (pending) { pending = false; send(); }
  };
  socket.onopen = () => {
    retryDelay = 1000;
    if (pending || disconnected) { pending = false; disconnected = false; send(); }
  };
  socket.onclose = () => {
    socket = null;
    // A request in flight lost its answer: it is sent again on reconnecting.
    if (inFlight) pending = true;
    inFlight = false;
    disconnected = true;
    showFailure('DISCONNECTED', 'the server does not answer; reconnecting…');
    setTimeout(connect, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 8000);
  };
}
// On a pose model the user picks what the target asks for: the whole pose, the position only, or
// the position with the tool's approach axis along the target's (any rotation about it).
function targetKind() { return poses ? document.getElementById('target-kind').value : 'position'; }
function targetValues() {
  const p = target.position, q = target.quaternion;
  return targetKind() === 'pose' ? [p.x, p.y, p.z, q.w, q.x, q.y, q.z] : [p.x, p.y, p.z];
}
function targetAxis() {
  const a = new THREE.Vector3(...robot.approach_axis).applyQuaternion(target.quaternion);
  return [a.x, a.y, a.z];
}
function currentRequest() {
  const request = { id: ++requestId, target: targetValues(),
    solver: document.getElementById('solver').value, all: document.getElementById('all').checked };
  if (targetKind() === 'axis') { request.axis = targetAxis(); request.tool_axis = robot.approach_axis; }
  // Each solve starts from the configuration shown, so a dragged target is followed continuously.
  if (state.jointValues.length === state.jointCount) request.start = state.jointValues;
  if (locks.size) request.lock = Object.fromEntries(locks);
  return request;
}
// Joints the user locked in the panel, by name, at the value shown when the box was ticked; every
// request holds them there (the API's `lock`) until the box is cleared.
const locks = new Map();
function toggleLock(e) {
  const box = e.target;
  if (box.type !== 'checkbox' || !box.dataset.joint) return;
  const index = Number(box.dataset.joint);
  const name = robot.joints[index].name;
  if (box.checked && state.jointValues.length === state.jointCount) locks.set(name, state.jointValues[index]);
  else locks.delete(name);
  box.checked = locks.has(name);
  state.locks = Object.fromEntries(locks);
  requestSolve();
}
function send() {
  if (!socket || socket.readyState !== WebSocket.OPEN) { pending = true; return; }
  inFlight = true;
  socket.send(JSON.stringify(currentRequest()));
}
function requestSolve() { if (inFlight) pending = true; else send(); }

function showMessage(text) { document.getElementById('message').textContent = text; }

// A request the server refused, or a lost connection: the last answer no longer describes the
// target shown, so the status says so and its numbers are cleared (the arm stays, dimmed by the
// status alone).
function showFailure(label, text) {
  const status = document.getElementById('status');
  status.dataset.state = 'error';
  status.textContent = `${label}: ${text}`;
  for (const id of ['error', 'rotation', 'gap', 'time', 'solutions']) document.getElementById(id).textContent = '—';
  closest.visible = false; gapLine.visible = false;
  showMessage(text);
  Object.assign(state, { status: 'error', verdict: null, statusText: status.textContent, failure: text });
  answered();
}

// One more answer shown: the scripted targets waiting for it are resolved.
function answered() {
  state.solveCount++;
  while (waiters.length && waiters[0].count <= state.solveCount) waiters.shift().resolve(state);
}

// Fixed digits without a minus sign on a value that rounds to zero ("-0.00").
function fixed(value, digits) {
  const text = value.toFixed(digits);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

// Text from the robot file (joint and solver names) goes into the page as text, never as markup.
function escapeHTML(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

function show(reply) {
  const result = reply.results[0];
  const best = result.solutions[0];
  empty(armGroup); empty(ghostGroup);
  drawArm(armGroup, best, false);
  if (document.getElementById('all').checked) result.solutions.slice(1).forEach((s) => drawArm(ghostGroup, s, true));
  const out = !result.reachable;
  closest.visible = out; gapLine.visible = out;
  if (out) {
    closest.position.set(...result.closest_point);
    gapLine.geometry.setFromPoints([target.position.clone(), closest.position.clone()]);
    gapLine.computeLineDistances();
  }
  const status = document.getElementById('status');
  status.dataset.state = out ? 'out-of-reach' : 'reachable';
  const rotationError = best.solution.rotation_error_deg ?? null;
  const off = rotationError === null ? '' : `, ${rotationError.toFixed(2)}°`;
  // The server's verdict tells a miss that proves the target out of reach from a search's miss.
  // A near miss is under a millimetre: shown in micrometres.
  const gap = (result.gap_m < 1e-3 ? `${(result.gap_m * 1e6).toFixed(1)} µm` : `${(result.gap_m * 1000).toFixed(1)} mm`) + off;
  status.textContent = {
    reachable: 'REACHABLE',
    out_of_reach: `OUT OF REACH by ${gap} — red: closest point found`,
    not_reached_to_tolerance: `NOT REACHED to the tolerance: ${gap} away — red: closest point found`,
    no_solution_found: `NO SOLUTION FOUND: closest found ${gap} away — red: closest point found (the search can miss)`,
  }[result.status] ?? (out ? `NOT REACHED by ${gap}` : 'REACHABLE');
  document.getElementById('error').textContent = `${(best.solution.position_error_m * 1000).toFixed(4)} mm`;
  document.getElementById('rotation').textContent = rotationError === null ? '—' : `${rotationError.toFixed(4)}°`;
  document.getElementById('rotation-label').textContent = targetKind() === 'axis' ? 'axis error' : 'rotation error';
  document.getElementById('gap').textContent = `${(out ? result.gap_m * 1000 : 0).toFixed(2)} mm`;
  document.getElementById('time').textContent = `${result.milliseconds.toFixed(2)} ms (${reply.solver})`;
  // With every solution asked for, the ghosts of turned copies overlap: the count says how many.
  const reaching = result.solutions.filter((s) => s.solution.reachable).length;
  document.getElementById('solutions').textContent = `${result.solutions.length}` +
    (reaching < result.solutions.length ? ` (${reaching} reach)` : '');
  document.getElementById('joints').innerHTML = robot.joints.map((joint, i) => {
    const value = best.solution.joint_values[i];
    const angular = joint.type !== 'prismatic';
    const shown = angular ? `${fixed(value * 180 / Math.PI, 2)}°` : `${fixed(value, 4)} m`;
    // The server's standing envelope (serve --lock/--limits), which every answer keeps to, or
    // the user's lock from the panel.
    const locked = locks.has(joint.name);
    const held = locked || (joint.envelope_lower != null && joint.envelope_upper != null);
    const heldLower = locked ? locks.get(joint.name) : joint.envelope_lower;
    const heldUpper = locked ? locks.get(joint.name) : joint.envelope_upper;
    // A continuous joint has no limits: its bar shows the angle within a turn, unless an envelope
    // holds it, which then is its range.
    const continuous = (joint.lower == null || joint.upper == null) && !held;
    const lower = joint.lower ?? (held ? heldLower : -Math.PI);
    const upper = joint.upper ?? (held ? heldUpper : Math.PI);
    const wrapped = continuous ? value - 2 * Math.PI * Math.round(value / (2 * Math.PI)) : value;
    const at = (v) => (upper > lower ? (v - lower) / (upper - lower) : 0.5) * 100;
    const fmt = (v) => angular ? `${fixed(v * 180 / Math.PI, 0)}°` : `${fixed(v, 3)} m`;
    const envelope = !held ? '' : heldLower === heldUpper
      ? `<span>locked at ${fmt(heldLower)}</span>`
      : `<span>held to ${fmt(heldLower)} … ${fmt(heldUpper)}</span>`;
    const band = !held ? '' : `<b style="left: calc(${at(heldLower).toFixed(2)}% - 1px); width: calc(${(at(heldUpper) - at(heldLower)).toFixed(2)}% + 2px)"></b>`;
    // A joint the server locks cannot be unlocked here.
    const serverLocked = joint.envelope_lower != null && joint.envelope_lower === joint.envelope_upper;
    const lockBox = serverLocked ? '' : `<label class="lock" title="hold this joint at its value"><input type="checkbox" data-joint="${i}"${locked ? ' checked' : ''}> lock</label>`;
    const limits = continuous ? '<span>continuous: the angle within a turn</span>'
      : `<span>${fmt(lower)}</span>${envelope}<span>${fmt(upper)}</span>`;
    return `<div class="joint${held ? ' held' : ''}"><div class="name"><span>${escapeHTML(joint.name)}</span>${lockBox}<span>${shown}</span></div>
      <div class="bar">${band}<i style="left: calc(${at(wrapped).toFixed(2)}% - 1px)"></i></div>
      <div class="limits">${limits}</div></div>`;
  }).join('');
  showMessage('');
  Object.assign(state, { status: out ? 'out-of-reach' : 'reachable', failure: null, verdict: result.status, statusText: status.textContent, jointValues: best.solution.joint_values,
    positionError: best.solution.position_error_m, rotationError, gap: result.gap_m, reachedPosition: best.solution.reached_position,
    closestPoint: result.closest_point, target: result.target, solver: reply.solver, milliseconds: result.milliseconds,
    solutions: result.solutions.length, tipDrawn: best.frames[best.frames.length - 1] });
  answered();
}

// Click (without dragging) places the target on the plane through it that faces the camera.
const raycaster = new THREE.Raycaster();
let downAt = null;
renderer.domElement.addEventListener('pointerdown', (e) => { downAt = [e.clientX, e.clientY]; });
renderer.domElement.addEventListener('pointerup', (e) => {
  if (!downAt || gizmo.dragging || Math.hypot(e.clientX - downAt[0], e.clientY - downAt[1]) > 4) return;
  if (gizmo.axis) return; // a click on the gizmo's handles
  const rect = renderer.domElement.getBoundingClientRect();
  raycaster.setFromCamera({ x: ((e.clientX - rect.left) / rect.width) * 2 - 1, y: -((e.clientY - rect.top) / rect.height) * 2 + 1 }, camera);
  const normal = camera.getWorldDirection(new THREE.Vector3());
  const plane = new THREE.Plane().setFromNormalAndCoplanarPoint(normal, target.position);
  const hit = raycaster.ray.intersectPlane(plane, new THREE.Vector3());
  if (hit) { target.position.copy(hit); requestSolve(); }
});

// The keyboard moves the target too: arrows along the base's x and y, Page Up and Page Down along
// z, by 2% of the workspace's size (Shift: 10%). Keys meant for a focused control stay its own.
function formControl(e) {
  return e.ctrlKey || e.metaKey || e.altKey || ['SELECT', 'INPUT', 'TEXTAREA', 'BUTTON'].includes(e.target?.tagName);
}
const keySteps = { ArrowRight: [1, 0, 0], ArrowLeft: [-1, 0, 0], ArrowUp: [0, 1, 0], ArrowDown: [0, -1, 0], PageUp: [0, 0, 1], PageDown: [0, 0, -1] };
window.addEventListener('keydown', (e) => {
  const direction = keySteps[e.key];
  if (!direction || formControl(e) || !state.ready) return;
  e.preventDefault();
  const step = scale * (e.shiftKey ? 0.1 : 0.02);
  target.position.add(new THREE.Vector3(...direction).multiplyScalar(step));
  requestSolve();
});

function resize() {
  const width = container.clientWidth, height = container.clientHeight;
  renderer.setSize(width, height);
  camera.aspect = width / Math.max(1, height);
  camera.updateProjectionMatrix();
}
window.addEventListener('resize', resize);

function animate() {
  requestAnimationFrame(animate);
  orbit.update();
  renderer.render(scene, camera);
}

async function start() {
  robot = await (await fetch('/api/robot')).json();
  document.getElementById('robot-name').textContent = `${robot.name} · ${robot.joints.length} joints`;
  const select = document.getElementById('solver');
  select.replaceChildren(...robot.solvers.map((s) => new Option(s, s)));
  document.getElementById('no-model').hidden = robot.solvers.includes('network');
  select.addEventListener('change', requestSolve);
  document.getElementById('all').addEventListener('change', requestSolve);
  document.getElementById('joints').addEventListener('change', toggleLock);
  const points = robot.workspace.map((p) => new THREE.Vector3(...p));
  const box = new THREE.Box3().setFromPoints(points);
  scale = Math.max(box.getSize(new THREE.Vector3()).length() / 2, 1e-3);
  const cloud = new THREE.Points(new THREE.BufferGeometry().setFromPoints(points),
    new THREE.PointsMaterial({ color: 0x58a6ff, size: scale * 0.012, transparent: true, opacity: 0.35, depthWrite: false }));
  scene.add(cloud);
  const grid = new THREE.GridHelper(scale * 4, 20, 0x30363d, 0x21262d);
  grid.rotation.x = Math.PI / 2;
  scene.add(grid);
  [target, closest].forEach((m) => m.scale.setScalar(scale * 0.03));
  gapLine.material.dashSize = scale * 0.03; gapLine.material.gapSize = scale * 0.02;
  gizmo.setSize(0.8);
  const center = box.getCenter(new THREE.Vector3());
  camera.position.copy(center).add(new THREE.Vector3(scale * 2.2, -scale * 2.6, scale * 1.6));
  orbit.target.copy(center);
  // The first target is reachable: the tip of a configuration beside the middle one.
  const first = robot.first_target;
  target.position.set(first[0], first[1], first[2]);
  state.jointCount = robot.joints.length;
  // The first solve starts from the configuration whose tip the first target is, and shows it.
  if (robot.first_configuration?.length === state.jointCount) state.jointValues = robot.first_configuration;
  poses = robot.target_kind === 'pose';
  state.targetKind = robot.target_kind;
  if (poses) {
    const [w, x, y, z] = first.length === 7 ? first.slice(3) : robot.middle_orientation;
    target.quaternion.set(x, y, z, w);
    // In the target's own frame, which is scaled to the marker's size.
    target.add(new THREE.AxesHelper(4));
    const button = document.getElementById('mode');
    button.hidden = false;
    const setMode = (mode) => {
      gizmo.setMode(mode);
      button.textContent = mode === 'rotate' ? 'move the target (T)' : 'turn the target (R)';
    };
    button.addEventListener('click', () => setMode(gizmo.getMode() === 'rotate' ? 'translate' : 'rotate'));
    window.addEventListener('keydown', (e) => {
      if (formControl(e)) return;
      if (e.key === 'r' || e.key === 'R') setMode('rotate');
      if (e.key === 't' || e.key === 'T') setMode('translate');
    });
    document.getElementById('rotation-row').hidden = false;
    document.getElementById('target-kind-row').hidden = false;
    document.getElementById('target-kind').addEventListener('change', () => {
      state.targetKind = targetKind();
      requestSolve();
    });
  }
  resize();
  animate();
  connect();
  requestSolve();
  state.jointNames = robot.joints.map((j) => j.name);
  state.ready = true;
  // Only a server with a map is asked for it: a 404 shows as an error in the browser's console.
  if (robot.map) showMap(scene);
}

// For the end-to-end test and for scripting the page from the console.
window.neuralIK = {
  state, errors,
  // For workspace.js, which draws its point cloud in this scene.
  scene, scale: () => scale, hasNetwork: () => robot !== null && robot.solvers.includes('network'),
  // Moves the target and resolves with the state once that target's answer is shown.
  // `orientation`: (w, x, y, z), for pose targets.
  setTarget(x, y, z, orientation) {
    target.position.set(x, y, z);
    if (orientation) target.quaternion.set(orientation[1], orientation[2], orientation[3], orientation[0]);
    const count = state.solveCount + 1 + (inFlight ? 1 : 0);
    return new Promise((resolve) => { waiters.push({ count, resolve }); requestSolve(); });
  },
  targetPosition: () => [target.position.x, target.position.y, target.position.z],
  // 'pose', 'position' or 'axis' (pose models only); resolves with the state once answered.
  setTargetKind(kind) {
    const select = document.getElementById('target-kind');
    select.value = kind;
    const count = state.solveCount + 1 + (inFlight ? 1 : 0);
    return new Promise((resolve) => { waiters.push({ count, resolve }); select.dispatchEvent(new Event('change')); });
  },
  targetAxis,
  targetValues,
  // Where a world point appears on screen, in CSS pixels: for simulated pointer drags.
  screenPosition(point) {
    const v = new THREE.Vector3(...point).project(camera);
    const rect = renderer.domElement.getBoundingClientRect();
    return { x: rect.left + (v.x + 1) / 2 * rect.width, y: rect.top + (1 - v.y) / 2 * rect.height };
  },
};
start().catch((e) => { errors.push(String(e)); showMessage(String(e)); });
