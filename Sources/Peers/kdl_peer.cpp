// KDL's position IK solvers on a NeuralIK targets file, for the peer comparison (Docs/Peers.md).
//
//   kdl_peer solve CHAIN TARGETS.csv OUT.csv --solver lma|nrjl [--budget-us B] [--seed S]
//   kdl_peer fk    CHAIN Q.csv OUT.csv
//
// CHAIN is written by chain.py from a JSON robot file; TARGETS.csv has the header
// x,y,z,qw,qx,qy,qz (metres, unit quaternion w first). OUT.csv of `solve` has the header
// found,time_us,<movable joint names> with one row per target; `found` is KDL's own verdict
// (return code >= 0); when KDL fails, the joints it returned are written anyway. The caller checks
// every row with NeuralIK's FK (`neural-ik score`), not with KDL's word.
//
// Solvers, seeded at the middle of the joint limits:
//   lma   ChainIkSolverPos_LMA with its defaults (eps 1e-5 on the weighted error, weights
//         1,1,1,0.01,0.01,0.01, 500 iterations, eps_joints 1e-15). It ignores joint limits.
//   nrjl  ChainIkSolverPos_NR_JL (ChainFkSolverPos_recursive + ChainIkSolverVel_pinv),
//         100 iterations, eps 1e-5; clamps every step to the limits.
// With --budget-us B > 0, a failed attempt is retried from a uniformly random in-limit seed
// (std::mt19937_64, --seed, default 1) until one succeeds or B microseconds have passed since the
// solve began; the budget is checked between attempts, so the last attempt may overrun it.
// time_us is the steady clock around the solve call(s) of one target, one thread.
//
// `fk` writes the pose of each configuration of Q.csv (header: the movable joint names), so that
// run.sh can check that this chain's FK equals ours before any IK result is trusted.

#include <kdl/chain.hpp>
#include <kdl/chainfksolverpos_recursive.hpp>
#include <kdl/chainiksolverpos_lma.hpp>
#include <kdl/chainiksolverpos_nr_jl.hpp>
#include <kdl/chainiksolvervel_pinv.hpp>
#include <kdl/frames.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Robot {
  KDL::Chain chain;
  std::vector<std::string> names;  // movable joints, chain order
  KDL::JntArray lower, upper, middle;
};

double parseNumber(const std::string& text, const std::string& where) {
  const char* begin = text.c_str();
  char* end = nullptr;
  double value = std::strtod(begin, &end);
  if (end == begin || *end != '\0') throw InputError(where + ": '" + text + "' is not a number");
  if (std::isnan(value)) throw InputError(where + ": NaN");
  return value;
}

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, sep)) {
    while (!field.empty() && (field.back() == '\r' || field.back() == ' ')) field.pop_back();
    while (!field.empty() && field.front() == ' ') field.erase(0, 1);
    out.push_back(field);
  }
  if (!line.empty() && line.back() == sep) out.push_back("");
  return out;
}

std::vector<std::string> readLines(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError("'" + path + "': cannot open it");
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

// One segment per joint: the joint frame `origin` is the segment's tip, and the joint moves about
// (or along) origin.M * axis through origin.p, so the segment's pose is origin · motion(q), the
// same product as Docs/RobotFormat.md. Fixed joints and the tool are Joint::None segments.
Robot loadChain(const std::string& path) {
  auto lines = readLines(path);
  if (lines.empty() || lines[0] != "neural-ik-chain/1")
    throw InputError("'" + path + "': not a chain file (first line must be neural-ik-chain/1; write it with chain.py)");
  Robot robot;
  std::vector<double> lo, hi;
  bool tool = false;
  for (size_t i = 1; i < lines.size(); ++i) {
    std::string where = "'" + path + "' line " + std::to_string(i + 1);
    std::istringstream in(lines[i]);
    std::vector<std::string> f;
    for (std::string w; in >> w;) f.push_back(w);
    if (f.empty()) continue;
    if (tool) throw InputError(where + ": nothing may follow the tool line");
    auto num = [&](size_t k) { return parseNumber(f[k], where + " field " + std::to_string(k + 1)); };
    if (f[0] == "tool") {
      if (f.size() != 7) throw InputError(where + ": tool needs 6 numbers (x y z roll pitch yaw)");
      KDL::Frame T(KDL::Rotation::RPY(num(4), num(5), num(6)), KDL::Vector(num(1), num(2), num(3)));
      robot.chain.addSegment(KDL::Segment("tool", KDL::Joint("tool", KDL::Joint::None), T));
      tool = true;
      continue;
    }
    if (f[0] != "joint" || f.size() != 14)
      throw InputError(where + ": expected 'joint NAME TYPE x y z roll pitch yaw ax ay az lower upper' or 'tool …'");
    const std::string& name = f[1];
    const std::string& type = f[2];
    KDL::Frame origin(KDL::Rotation::RPY(num(6), num(7), num(8)), KDL::Vector(num(3), num(4), num(5)));
    KDL::Vector axis(num(9), num(10), num(11));
    if (type == "fixed") {
      robot.chain.addSegment(KDL::Segment(name, KDL::Joint(name, KDL::Joint::None), origin));
      continue;
    }
    if (type != "revolute" && type != "continuous" && type != "prismatic")
      throw InputError(where + ": unknown joint type '" + type + "'; expected revolute, continuous, prismatic or fixed");
    if (axis.Norm() < 1e-12) throw InputError(where + ": zero axis on a movable joint");
    double lower = num(12), upper = num(13);
    if (!(lower <= upper)) throw InputError(where + ": lower limit > upper limit");
    auto kind = type == "prismatic" ? KDL::Joint::TransAxis : KDL::Joint::RotAxis;
    robot.chain.addSegment(KDL::Segment(name, KDL::Joint(name, origin.p, origin.M * axis, kind), origin));
    robot.names.push_back(name);
    lo.push_back(lower);
    hi.push_back(upper);
  }
  if (!tool) throw InputError("'" + path + "': no tool line at the end");
  if (robot.names.empty()) throw InputError("'" + path + "': no movable joint");
  size_t n = robot.names.size();
  robot.lower.resize(n);
  robot.upper.resize(n);
  robot.middle.resize(n);
  for (size_t j = 0; j < n; ++j) {
    robot.lower(j) = lo[j];
    robot.upper(j) = hi[j];
    robot.middle(j) = std::isfinite(lo[j]) ? 0.5 * (lo[j] + hi[j]) : 0.0;
  }
  return robot;
}

// Rows of numbers under an exact header; every field is checked before anything is solved.
std::vector<std::vector<double>> readTable(const std::string& path, const std::vector<std::string>& header) {
  auto lines = readLines(path);
  std::string expected;
  for (const auto& h : header) expected += (expected.empty() ? "" : ",") + h;
  if (lines.empty()) throw InputError("'" + path + "': empty; expected the header " + expected);
  if (split(lines[0], ',') != header)
    throw InputError("'" + path + "' line 1: header '" + lines[0] + "'; expected " + expected);
  std::vector<std::vector<double>> rows;
  for (size_t i = 1; i < lines.size(); ++i) {
    std::string where = "'" + path + "' line " + std::to_string(i + 1);
    auto fields = split(lines[i], ',');
    if (fields.size() != header.size())
      throw InputError(where + ": " + std::to_string(fields.size()) + " values; the header has " + std::to_string(header.size()));
    std::vector<double> row;
    for (size_t k = 0; k < fields.size(); ++k) {
      double v = parseNumber(fields[k], where + " column " + header[k]);
      if (!std::isfinite(v)) throw InputError(where + " column " + header[k] + ": not finite");
      row.push_back(v);
    }
    rows.push_back(row);
  }
  if (rows.empty()) throw InputError("'" + path + "': no rows under the header");
  return rows;
}

KDL::Frame targetFrame(const std::vector<double>& t, size_t row) {
  double n = std::sqrt(t[3] * t[3] + t[4] * t[4] + t[5] * t[5] + t[6] * t[6]);
  if (std::fabs(n - 1) > 1e-6)
    throw InputError("targets line " + std::to_string(row + 2) + ": quaternion norm " + std::to_string(n) + ", expected 1");
  return KDL::Frame(KDL::Rotation::Quaternion(t[4] / n, t[5] / n, t[6] / n, t[3] / n), KDL::Vector(t[0], t[1], t[2]));
}

std::FILE* openOut(const std::string& path) {
  std::FILE* out = std::fopen(path.c_str(), "w");
  if (!out) throw InputError("'" + path + "': cannot write it");
  return out;
}

void writeHeader(std::FILE* out, const std::vector<std::string>& first, const std::vector<std::string>& names) {
  std::string h;
  for (const auto& s : first) h += s + ",";
  for (size_t j = 0; j < names.size(); ++j) h += names[j] + (j + 1 < names.size() ? "," : "\n");
  std::fputs(h.c_str(), out);
}

int runFK(const Robot& robot, const std::string& qPath, const std::string& outPath) {
  auto rows = readTable(qPath, robot.names);
  KDL::ChainFkSolverPos_recursive fk(robot.chain);
  std::FILE* out = openOut(outPath);
  std::fputs("x,y,z,qw,qx,qy,qz\n", out);
  KDL::JntArray q(robot.names.size());
  for (const auto& r : rows) {
    for (size_t j = 0; j < r.size(); ++j) q(j) = r[j];
    KDL::Frame T;
    if (fk.JntToCart(q, T) < 0) throw std::runtime_error("KDL FK failed");
    double x, y, z, w;
    T.M.GetQuaternion(x, y, z, w);
    if (w < 0) x = -x, y = -y, z = -z, w = -w;
    std::fprintf(out, "%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g\n", T.p.x(), T.p.y(), T.p.z(), w, x, y, z);
  }
  std::fclose(out);
  return 0;
}

int runSolve(const Robot& robot, const std::string& solver, const std::string& targetsPath, const std::string& outPath,
             double budgetUs, unsigned long seed) {
  auto rows = readTable(targetsPath, {"x", "y", "z", "qw", "qx", "qy", "qz"});
  std::vector<KDL::Frame> targets;
  for (size_t i = 0; i < rows.size(); ++i) targets.push_back(targetFrame(rows[i], i));

  const unsigned n = robot.names.size();
  KDL::ChainFkSolverPos_recursive fk(robot.chain);
  KDL::ChainIkSolverVel_pinv vel(robot.chain);
  std::unique_ptr<KDL::ChainIkSolverPos> ik;
  if (solver == "lma")
    ik = std::make_unique<KDL::ChainIkSolverPos_LMA>(robot.chain);
  else if (solver == "nrjl")
    ik = std::make_unique<KDL::ChainIkSolverPos_NR_JL>(robot.chain, robot.lower, robot.upper, fk, vel, 100, 1e-5);
  else
    throw InputError("--solver: unknown solver '" + solver + "'; expected lma or nrjl");

  std::mt19937_64 rng(seed);
  auto randomSeed = [&](KDL::JntArray& q) {
    for (unsigned j = 0; j < n; ++j) {
      double lo = std::isfinite(robot.lower(j)) ? robot.lower(j) : -M_PI;
      double hi = std::isfinite(robot.upper(j)) ? robot.upper(j) : M_PI;
      q(j) = std::uniform_real_distribution<double>(lo, hi)(rng);
    }
  };

  std::FILE* out = openOut(outPath);
  writeHeader(out, {"found", "time_us"}, robot.names);
  KDL::JntArray start(n), q(n);
  for (const auto& target : targets) {
    start = robot.middle;
    auto t0 = std::chrono::steady_clock::now();
    int rc = ik->CartToJnt(start, target, q);
    while (rc < 0 && budgetUs > 0 &&
           std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() < budgetUs) {
      randomSeed(start);
      rc = ik->CartToJnt(start, target, q);
    }
    double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
    std::fprintf(out, "%d,%.3f", rc >= 0 ? 1 : 0, us);
    for (unsigned j = 0; j < n; ++j) std::fprintf(out, ",%.17g", q(j));
    std::fputc('\n', out);
  }
  if (std::fclose(out) != 0) throw InputError("'" + outPath + "': write failed");
  return 0;
}

const char* kUsage =
    "usage: kdl_peer solve CHAIN TARGETS.csv OUT.csv --solver lma|nrjl [--budget-us B] [--seed S]\n"
    "       kdl_peer fk    CHAIN Q.csv OUT.csv\n";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (args.size() == 4 && args[0] == "fk") return runFK(loadChain(args[1]), args[2], args[3]);
    if (args.size() >= 4 && args[0] == "solve") {
      std::string solver;
      double budget = 0;
      unsigned long seed = 1;
      for (size_t i = 4; i < args.size(); i += 2) {
        if (i + 1 >= args.size()) throw InputError(args[i] + ": missing value\n" + kUsage);
        if (args[i] == "--solver")
          solver = args[i + 1];
        else if (args[i] == "--budget-us")
          budget = parseNumber(args[i + 1], "--budget-us");
        else if (args[i] == "--seed")
          seed = static_cast<unsigned long>(parseNumber(args[i + 1], "--seed"));
        else
          throw InputError("unknown option '" + args[i] + "'\n" + kUsage);
      }
      if (solver.empty()) throw InputError(std::string("--solver is required\n") + kUsage);
      if (!(budget >= 0) || !std::isfinite(budget)) throw InputError("--budget-us: expected a finite number >= 0");
      return runSolve(loadChain(args[1]), solver, args[2], args[3], budget, seed);
    }
    std::fputs(kUsage, stderr);
    return 64;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kdl_peer: error: %s\n", e.what());
    return 1;
  }
}
