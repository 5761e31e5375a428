// The workspace view: the tool points of random configurations (GET /api/workspace), coloured by
// the default solver's time or the network's position error, drawn as three.js (r111) Points in
// app.js's scene. A select in the panel toggles it; the data is fetched once, on first use.
import * as THREE from '/three/build/three.module.js';

const COUNT = 1000;
// Viridis at five points: dark blue (low) to yellow (high); readable in grey too.
const STOPS = [[0.267, 0.005, 0.329], [0.231, 0.322, 0.545], [0.129, 0.569, 0.549], [0.365, 0.784, 0.388], [0.992, 0.906, 0.144]];

// What the end-to-end test reads.
const view = { mode: 'off', loading: false, drawn: 0, count: 0, solver: null, range: null, error: null };
window.neuralIKWorkspace = { view };

function colour(t) {
  const x = Math.min(1, Math.max(0, t)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x)), f = x - i;
  return STOPS[i].map((a, k) => a + (STOPS[i + 1][k] - a) * f);
}

// Log scale between the smallest and largest positive values; a zero error takes the low end.
function logRange(values) {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  const low = positive.length ? Math.min(...positive) : 1, high = positive.length ? Math.max(...positive) : 1;
  return { low, high, at: (v) => (high > low ? Math.log(Math.max(v, low) / low) / Math.log(high / low) : 0.5) };
}

let data = null;
let points = null;

async function load() {
  if (data) return data;
  view.loading = true;
  const response = await fetch(`/api/workspace?count=${COUNT}`);
  const body = await response.json();
  view.loading = false;
  if (!response.ok) throw new Error(body.error || `workspace: HTTP ${response.status}`);
  data = body;
  view.count = body.positions.length;
  view.solver = body.solver;
  return data;
}

function draw(mode, scene, scale) {
  if (points) { scene.remove(points); points.geometry.dispose(); points = null; }
  view.drawn = 0;
  const legend = document.getElementById('workspace-legend');
  if (mode === 'off' || !data) { legend.textContent = ''; return; }
  const values = mode === 'time' ? data.milliseconds : data.network_error_m.map((m) => m * 1000);
  const range = logRange(values);
  const positions = new Float32Array(data.positions.length * 3);
  const colours = new Float32Array(data.positions.length * 3);
  data.positions.forEach((p, i) => {
    positions.set(p, i * 3);
    colours.set(colour(range.at(values[i])), i * 3);
  });
  const geometry = new THREE.BufferGeometry();
  geometry.setAttribute('position', new THREE.BufferAttribute(positions, 3));
  geometry.setAttribute('color', new THREE.BufferAttribute(colours, 3));
  points = new THREE.Points(geometry, new THREE.PointsMaterial({ size: scale * 0.025, vertexColors: THREE.VertexColors }));
  scene.add(points);
  view.drawn = data.positions.length;
  view.range = [range.low, range.high];
  const unit = mode === 'time' ? `ms (${data.solver})` : 'mm (network alone)';
  legend.textContent = `blue ${range.low.toPrecision(2)} → yellow ${range.high.toPrecision(2)} ${unit}, log scale`;
}

function install(app) {
  const label = document.createElement('label');
  label.className = 'row';
  label.textContent = 'workspace ';
  const select = document.createElement('select');
  select.id = 'workspace-view';
  select.innerHTML = '<option value="off">off</option><option value="time">by solve time</option>'
    + (app.hasNetwork() ? '<option value="error">by network error</option>' : '');
  label.appendChild(select);
  const legend = document.createElement('div');
  legend.id = 'workspace-legend';
  legend.className = 'hint';
  const joints = document.getElementById('joints');
  joints.parentNode.insertBefore(label, joints);
  joints.parentNode.insertBefore(legend, joints);
  const show = async (mode) => {
    view.mode = mode;
    try {
      if (mode !== 'off') await load();
      if (view.mode === mode) draw(mode, app.scene, app.scale());
      select.dataset.points = String(view.drawn);
    } catch (e) {
      view.loading = false;
      view.error = String(e);
      legend.textContent = String(e);
    }
  };
  select.addEventListener('change', () => show(select.value));
  window.neuralIKWorkspace.show = (mode) => { select.value = mode; return show(mode); };
}

// Waits for app.js to have the robot and its scene.
function whenReady() {
  const app = window.neuralIK;
  if (app && app.state.ready && app.scene) install(app); else setTimeout(whenReady, 50);
}
whenReady();
