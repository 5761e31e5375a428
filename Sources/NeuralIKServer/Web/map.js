// The reachability map (GET /api/map, `neural-ik serve --map FILE`) as a point cloud: one point
// per reachable voxel, coloured by the share of orientations reached (red: few, green: all).
// Without a map the server answers 404 and the page shows nothing of it.
import * as THREE from '/three/build/three.module.js';

const red = new THREE.Color(0xff5c5c);
const yellow = new THREE.Color(0xffd166);
const green = new THREE.Color(0x3ecf8e);

// Share 0 → red, ½ → yellow, 1 → green.
function colourOf(share) {
  const s = Math.min(1, Math.max(0, share));
  return s < 0.5 ? red.clone().lerp(yellow, s * 2) : yellow.clone().lerp(green, (s - 0.5) * 2);
}

export function pointCloud(map) {
  const positions = new Float32Array(map.points.length * 3);
  const colours = new Float32Array(map.points.length * 3);
  map.points.forEach(([x, y, z, share], i) => {
    positions.set([x, y, z], i * 3);
    const c = colourOf(share);
    colours.set([c.r, c.g, c.b], i * 3);
  });
  const geometry = new THREE.BufferGeometry();
  geometry.setAttribute('position', new THREE.BufferAttribute(positions, 3));
  geometry.setAttribute('color', new THREE.BufferAttribute(colours, 3));
  const material = new THREE.PointsMaterial({
    size: map.resolution_m * 0.5, vertexColors: THREE.VertexColors, transparent: true, opacity: 0.55,
    depthWrite: false,
  });
  const points = new THREE.Points(geometry, material);
  points.name = 'reachability-map';
  return points;
}

// Adds the map to `scene`, with a checkbox in the side panel to hide it; does nothing without one
// (the page asks only when `GET /api/robot` says there is one).
export async function showMap(scene) {
  let map;
  try {
    const response = await fetch('/api/map');
    if (!response.ok) return;
    map = await response.json();
  } catch (error) {
    return;
  }
  const cloud = pointCloud(map);
  scene.add(cloud);
  const panel = document.getElementById('panel');
  if (!panel) return;
  const row = document.createElement('label');
  row.className = 'row';
  row.id = 'map-toggle';
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.checked = true;
  box.addEventListener('change', () => { cloud.visible = box.checked; });
  const what = map.target_kind === 'pose'
    ? `share of ${map.orientation_count} orientations: red few, green all`
    : 'reachable positions';
  row.append(box, ` reachability map (${map.points.length} voxels; ${what})`);
  panel.insertBefore(row, document.getElementById('joints'));
}
