// Saved plan files (`plan --out`, `apply FILE`, `show FILE`) and stale-plan refusal (spec §4).
#include "engine/plan/plan_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>

#include "engine/model/crypto.h"
#include "engine/plan/plan_codec.h"
#include "engine/plan/plan_render_json.h"
#include "engine/plan/plan_render_text.h"
#include "engine/plan/planner.h"
#include "tests/engine/plan/plan_examples.h"
#include "tests/support/spec_builders.h"

namespace spotform {
namespace {

using namespace plan_examples;  // NOLINT: test-local literals
using Json = nlohmann::ordered_json;
namespace fs = std::filesystem;

// A plan that sets every field of every type to a value other than its default.
Plan EveryFieldPlan() {
  Plan plan = PlanOf({MoveRenderZone(), ScaleDownRender(), ReclaimedRender(),
                      DeleteTrain("removed from the configuration"), NoOp(Train(3))});
  plan.destroy = true;
  plan.targets = {"env.render", "env.train"};
  plan.serial = 9007199254740993;      // beyond a double's exact integers
  plan.changes[0].steps[0].from = 11;  // fields a kind does not use still round-trip
  plan.changes[0].steps[0].to = 12;
  plan.changes[0].steps[0].ids = {"ins-x"};
  plan.changes[0].after->tags = {{"team", "vfx"}, {"note", "quote \" and \u00e9"}};
  plan.basis = PlanBasis{
      .shared_config_digest = "shared-1",
      .environments = {{"env.render", {.serial = 9007199254740993, .config_digest = "render-1"}},
                       {"env.train", {.serial = 0, .config_digest = ""}}}};
  return plan;
}

void ExpectSameSpec(const EnvironmentSpec& a, const EnvironmentSpec& b) {
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.mode, b.mode);
  EXPECT_EQ(a.zone(), b.zone());
  EXPECT_EQ(a.instance_type(), b.instance_type());
  EXPECT_EQ(a.image_id, b.image_id);
  EXPECT_EQ(a.max_price, b.max_price);
  EXPECT_EQ(a.desired_count, b.desired_count);
  EXPECT_EQ(a.tags, b.tags);
}

void ExpectSamePlan(const Plan& a, const Plan& b) {
  EXPECT_EQ(a.lineage, b.lineage);
  EXPECT_EQ(a.serial, b.serial);
  EXPECT_EQ(a.config_digest, b.config_digest);
  EXPECT_EQ(a.basis, b.basis);
  EXPECT_EQ(a.destroy, b.destroy);
  EXPECT_EQ(a.targets, b.targets);
  ASSERT_EQ(a.changes.size(), b.changes.size());
  for (size_t i = 0; i < a.changes.size(); ++i) {
    const Change& x = a.changes[i];
    const Change& y = b.changes[i];
    EXPECT_EQ(x.address, y.address);
    EXPECT_EQ(x.action, y.action);
    ASSERT_EQ(x.before.has_value(), y.before.has_value());
    if (x.before) ExpectSameSpec(*x.before, *y.before);
    ASSERT_EQ(x.after.has_value(), y.after.has_value());
    if (x.after) ExpectSameSpec(*x.after, *y.after);
    EXPECT_EQ(x.reasons, y.reasons);
    ASSERT_EQ(x.steps.size(), y.steps.size());
    for (size_t j = 0; j < x.steps.size(); ++j) {
      EXPECT_EQ(x.steps[j].kind, y.steps[j].kind);
      EXPECT_EQ(x.steps[j].pool_id, y.steps[j].pool_id);
      ExpectSameSpec(x.steps[j].spec, y.steps[j].spec);
      EXPECT_EQ(x.steps[j].count, y.steps[j].count);
      EXPECT_EQ(x.steps[j].from, y.steps[j].from);
      EXPECT_EQ(x.steps[j].to, y.steps[j].to);
      EXPECT_EQ(x.steps[j].ids, y.steps[j].ids);
      EXPECT_EQ(x.steps[j].reason, y.steps[j].reason);
    }
  }
}

class PlanFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char name[] = "/tmp/spotform-plan-file-XXXXXX";
    ASSERT_NE(::mkdtemp(name), nullptr);
    dir_ = name;
    path_ = (dir_ / "tfplan").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  void WriteText(const std::string& text) { std::ofstream(path_, std::ios::binary) << text; }
  std::string ReadText() {
    std::ifstream in(path_, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
  }
  // A file whose checksum is right for `body`, however wrong `body` is.
  void WriteSigned(const Json& body, int format = 1) {
    Json document{{"spotform_plan", format},
                  {"created_by", "spotform 0.1.0"},
                  {"checksum", "sha256:" + Sha256Hex(body.dump())},
                  {"plan", body}};
    WriteText(document.dump(2));
  }
  std::vector<std::string> FolderEntries() {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir_)) {
      names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }
  std::string ReadError() {
    Result<Plan> plan = ReadPlanFile(path_);
    EXPECT_FALSE(plan.ok());
    return plan.ok() ? "" : plan.error().message();
  }

  fs::path dir_;
  std::string path_;
};

TEST_F(PlanFileTest, RoundTripsEveryField) {
  const Plan plan = EveryFieldPlan();
  ASSERT_TRUE(WritePlanFile(path_, plan).ok());
  Result<Plan> read = ReadPlanFile(path_);
  ASSERT_TRUE(read.ok()) << read.error().message();
  ExpectSamePlan(plan, *read);
}

TEST_F(PlanFileTest, RoundTripsAPlanFromAnEmptyState) {
  Plan plan;
  plan.config_digest = "abc";
  ASSERT_TRUE(WritePlanFile(path_, plan).ok());
  Result<Plan> read = ReadPlanFile(path_);
  ASSERT_TRUE(read.ok()) << read.error().message();
  ExpectSamePlan(plan, *read);
  const Json document = Json::parse(ReadText());
  EXPECT_EQ(document["plan"]["serial"], 0);
  EXPECT_EQ(document["plan"]["lineage"], "");
}

TEST_F(PlanFileTest, DocumentHasVersionMakerChecksumAndFullSpecs) {
  ASSERT_TRUE(WritePlanFile(path_, PlanOf({CreateRender()})).ok());
  const Json document = Json::parse(ReadText());
  EXPECT_EQ(document["spotform_plan"], 1);
  EXPECT_EQ(document["created_by"], "spotform 0.1.0");
  EXPECT_EQ(document["checksum"], "sha256:" + Sha256Hex(document["plan"].dump()));
  EXPECT_EQ(document["plan"]["changes"][0]["steps"][1], Json::parse(R"({
    "kind": "launch", "pool_id": "p-1a2b3c4d",
    "spec": {"name": "render", "mode": "cvm", "zone": "ap-guangzhou-3",
             "instance_type": "S5.MEDIUM4", "image_id": "img-pmqg1cw7", "max_price": "0.60",
             "desired_count": 4, "tags": {"team": "vfx"}},
    "count": 4, "from": 0, "to": 0, "ids": [], "reason": "desired 4"})"));
}

TEST_F(PlanFileTest, FileIsPrivateAndNoTempFileRemains) {
  ASSERT_TRUE(WritePlanFile(path_, PlanOf({CreateRender()})).ok());
  struct stat info {};
  ASSERT_EQ(::stat(path_.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);
  EXPECT_EQ(FolderEntries(), std::vector<std::string>{"tfplan"});
}

TEST_F(PlanFileTest, OverwritingAnOpenFileMakesItPrivateToo) {
  WriteText("old");
  ASSERT_EQ(::chmod(path_.c_str(), 0644), 0);
  ASSERT_TRUE(WritePlanFile(path_, PlanOf({ScaleUpRender()})).ok());
  struct stat info {};
  ASSERT_EQ(::stat(path_.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);
  EXPECT_TRUE(ReadPlanFile(path_).ok());
  EXPECT_EQ(FolderEntries(), std::vector<std::string>{"tfplan"});
}

TEST_F(PlanFileTest, FailedWriteLeavesNoTempFile) {
  fs::create_directory(path_);  // rename over a folder fails after the temp file is written
  fs::create_directory(fs::path(path_) / "inside");
  Status status = WritePlanFile(path_, PlanOf({CreateRender()}));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(status.error().message(),
            path_ + ": cannot write the plan file: " + std::strerror(EISDIR));
  EXPECT_EQ(FolderEntries(), std::vector<std::string>{"tfplan"});
}

TEST_F(PlanFileTest, WriteIntoAMissingFolderFails) {
  const std::string path = (dir_ / "no-such-folder" / "tfplan").string();
  Status status = WritePlanFile(path, PlanOf({}));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message(),
            path + ": cannot write the plan file: No such file or directory");
  EXPECT_TRUE(FolderEntries().empty());
}

TEST_F(PlanFileTest, RefusesAMissingFile) {
  Result<Plan> plan = ReadPlanFile(path_);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.error().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(plan.error().message(), path_ + ": no such plan file");
}

TEST_F(PlanFileTest, RefusesFilesThatAreNotPlans) {
  WriteText("environments:\n  render: {}\n");
  EXPECT_EQ(ReadError(), path_ + ": not a spotform plan file");
  WriteText(R"({"format_version": "1.0", "changes": []})");
  EXPECT_EQ(ReadError(), path_ + ": not a spotform plan file");
  WriteText("[1, 2]");
  EXPECT_EQ(ReadError(), path_ + ": not a spotform plan file");
  WriteText("  \n");
  EXPECT_EQ(ReadError(), path_ + ": not a spotform plan file (it is empty)");
}

TEST_F(PlanFileTest, RefusesATruncatedFile) {
  ASSERT_TRUE(WritePlanFile(path_, PlanOf({CreateRender()})).ok());
  const std::string whole = ReadText();
  WriteText(whole.substr(0, 100));
  EXPECT_EQ(ReadError(), path_ + ": the plan file is truncated (its JSON ends early, at byte 100)");
}

TEST_F(PlanFileTest, RefusesCorruptJson) {
  WriteText(R"({"spotform_plan": 1, "checksum": oops})");
  EXPECT_EQ(ReadError(), path_ + ": the plan file is corrupt: invalid JSON at byte 34");
}

TEST_F(PlanFileTest, RefusesAPlanFromANewerSpotform) {
  WriteText(R"({"spotform_plan": 2, "created_by": "spotform 0.9.0", "checksum": "x",
               "plan": {"future": true}})");
  Result<Plan> plan = ReadPlanFile(path_);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.error().kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(plan.error().message(),
            path_ +
                ": made by a newer spotform (plan format 2 by spotform 0.9.0); this "
                "spotform reads format 1: upgrade spotform, or run `spotform plan` again");
}

TEST_F(PlanFileTest, RefusesAnAlteredPlan) {
  ASSERT_TRUE(WritePlanFile(path_, PlanOf({ScaleDownRender()})).ok());
  Json document = Json::parse(ReadText());
  document["plan"]["changes"][0]["steps"][1]["ids"] = Json::array({"ins-fff00006"});
  WriteText(document.dump(2));
  EXPECT_EQ(ReadError(),
            path_ + ": the plan file was altered (checksum mismatch): run `spotform plan` again");
}

TEST_F(PlanFileTest, RefusesAnAlteredChecksum) {
  ASSERT_TRUE(WritePlanFile(path_, PlanOf({ScaleDownRender()})).ok());
  Json document = Json::parse(ReadText());
  document["checksum"] = "sha256:" + std::string(64, '0');
  WriteText(document.dump(2));
  EXPECT_EQ(ReadError(),
            path_ + ": the plan file was altered (checksum mismatch): run `spotform plan` again");
}

TEST_F(PlanFileTest, ReformattedButUnchangedPlanIsAccepted) {
  ASSERT_TRUE(WritePlanFile(path_, PlanOf({ScaleDownRender()})).ok());
  WriteText(Json::parse(ReadText()).dump());  // whitespace only
  EXPECT_TRUE(ReadPlanFile(path_).ok());
}

TEST_F(PlanFileTest, RefusesFieldsOfTheWrongType) {
  Json body = EncodePlan(PlanOf({ScaleDownRender()}));
  body["serial"] = "7";
  WriteSigned(body);
  EXPECT_EQ(ReadError(), path_ + ": invalid plan file: plan.serial: expected an integer");

  body = EncodePlan(PlanOf({ScaleDownRender()}));
  body["changes"][0]["steps"][1]["ids"][1] = 5;
  WriteSigned(body);
  EXPECT_EQ(ReadError(),
            path_ + ": invalid plan file: plan.changes[0].steps[1].ids[1]: expected a string");

  body = EncodePlan(PlanOf({ScaleDownRender()}));
  body["changes"][0]["steps"][0].erase("to");
  WriteSigned(body);
  EXPECT_EQ(ReadError(), path_ + ": invalid plan file: plan.changes[0].steps[0].to: missing");

  body = EncodePlan(PlanOf({ScaleDownRender()}));
  body["changes"][0]["after"]["mode"] = "spot";
  WriteSigned(body);
  EXPECT_EQ(ReadError(),
            path_ + ": invalid plan file: plan.changes[0].after.mode: unknown mode \"spot\"");

  body = EncodePlan(PlanOf({ScaleDownRender()}));
  body["changes"][0]["action"] = "explode";
  WriteSigned(body);
  EXPECT_EQ(ReadError(),
            path_ + ": invalid plan file: plan.changes[0].action: unknown action \"explode\"");

  body = EncodePlan(PlanOf({ScaleDownRender()}));
  body["changes"][0]["steps"][2]["kind"] = "reboot";
  WriteSigned(body);
  EXPECT_EQ(ReadError(),
            path_ +
                ": invalid plan file: plan.changes[0].steps[2].kind: unknown step kind "
                "\"reboot\"");

  body = EncodePlan(PlanOf({ScaleDownRender()}));
  body["changes"][0]["before"]["tags"]["team"] = true;
  WriteSigned(body);
  EXPECT_EQ(ReadError(),
            path_ + ": invalid plan file: plan.changes[0].before.tags.team: expected a string");

  body = EncodePlan(PlanOf({ScaleDownRender()}));
  body["changes"][0]["steps"][0]["from"] = 3000000000LL;
  WriteSigned(body);
  EXPECT_EQ(ReadError(),
            path_ + ": invalid plan file: plan.changes[0].steps[0].from: out of range");

  body = EncodePlan(PlanOf({ScaleDownRender()}));
  body["destroy"] = 0;
  WriteSigned(body);
  EXPECT_EQ(ReadError(), path_ + ": invalid plan file: plan.destroy: expected true or false");

  body = EncodePlan(PlanOf({ScaleDownRender()}));
  body["changes"] = Json::object();
  WriteSigned(body);
  EXPECT_EQ(ReadError(), path_ + ": invalid plan file: plan.changes: expected an array");
}

// A plan with a basis like the planner's: env.render, last written at serial 7, scales down;
// env.train, last written at serial 3, is deleted (no longer in the config).
Plan PlanWithBasis() {
  Plan plan = PlanOf({ScaleDownRender(), DeleteTrain("removed from the configuration")});
  plan.basis =
      PlanBasis{.shared_config_digest = "shared-1",
                .environments = {{"env.render", {.serial = 7, .config_digest = "render-1"}},
                                 {"env.train", {.serial = 3, .config_digest = ""}}}};
  return plan;
}

TEST_F(PlanFileTest, WritesTheBasisBesideTheConfigDigest) {
  ASSERT_TRUE(WritePlanFile(path_, PlanWithBasis()).ok());
  const Json document = Json::parse(ReadText());
  EXPECT_EQ(document["plan"]["basis"], Json::parse(R"({
    "shared_config_digest": "shared-1",
    "environments": {"env.render": {"serial": 7, "config_digest": "render-1"},
                     "env.train": {"serial": 3, "config_digest": ""}}})"));
  Result<Plan> read = ReadPlanFile(path_);
  ASSERT_TRUE(read.ok()) << read.error().message();
  EXPECT_EQ(read->basis, PlanWithBasis().basis);
}

TEST_F(PlanFileTest, TheChecksumCoversTheBasis) {
  ASSERT_TRUE(WritePlanFile(path_, PlanWithBasis()).ok());
  Json document = Json::parse(ReadText());
  document["plan"]["basis"]["environments"]["env.render"]["serial"] = 9;
  WriteText(document.dump(2));
  EXPECT_EQ(ReadError(),
            path_ + ": the plan file was altered (checksum mismatch): run `spotform plan` again");
}

TEST_F(PlanFileTest, AFileMadeBeforePlansHadABasisStillLoadsWithoutOne) {
  Json body = EncodePlan(PlanWithBasis());
  body.erase("basis");  // what spotform wrote before issue 16
  WriteSigned(body);
  Result<Plan> read = ReadPlanFile(path_);
  ASSERT_TRUE(read.ok()) << read.error().message();
  EXPECT_FALSE(read->basis.has_value()) << "checked by the old rules (CheckPlanIsCurrentTest)";
  EXPECT_EQ(read->serial, 7);
  EXPECT_EQ(read->config_digest, "9b1d5e");
}

TEST_F(PlanFileTest, AnEmptyBasisIsNotAMissingOne) {
  Plan plan = PlanOf({NoOp(Render(4))});
  plan.basis = PlanBasis{.shared_config_digest = "shared-1", .environments = {}};
  ASSERT_TRUE(WritePlanFile(path_, plan).ok());
  Result<Plan> read = ReadPlanFile(path_);
  ASSERT_TRUE(read.ok()) << read.error().message();
  ASSERT_TRUE(read->basis.has_value());
  EXPECT_TRUE(read->basis->environments.empty());
}

TEST_F(PlanFileTest, RefusesABasisOfTheWrongShape) {
  const auto refused = [&](const std::function<void(Json&)>& spoil) {
    Json body = EncodePlan(PlanWithBasis());
    spoil(body["basis"]);
    WriteSigned(body);
    return ReadError();
  };
  const std::string invalid = path_ + ": invalid plan file: plan.basis";
  EXPECT_EQ(refused([](Json& basis) { basis = Json::array(); }), invalid + ": expected an object");
  EXPECT_EQ(refused([](Json& basis) { basis.erase("shared_config_digest"); }),
            invalid + ".shared_config_digest: missing");
  EXPECT_EQ(refused([](Json& basis) { basis["shared_config_digest"] = 5; }),
            invalid + ".shared_config_digest: expected a string");
  EXPECT_EQ(refused([](Json& basis) { basis.erase("environments"); }),
            invalid + ".environments: missing");
  EXPECT_EQ(refused([](Json& basis) { basis["environments"] = Json::array(); }),
            invalid + ".environments: expected an object");
  EXPECT_EQ(refused([](Json& basis) { basis["environments"]["render"] = Json::object(); }),
            invalid + ".environments.render: expected an environment address (env.NAME)");
  EXPECT_EQ(refused([](Json& basis) { basis["environments"]["env.render"] = 7; }),
            invalid + ".environments.env.render: expected an object");
  EXPECT_EQ(refused([](Json& basis) { basis["environments"]["env.render"]["serial"] = "7"; }),
            invalid + ".environments.env.render.serial: expected an integer");
  EXPECT_EQ(refused([](Json& basis) { basis["environments"]["env.render"]["serial"] = -1; }),
            invalid + ".environments.env.render.serial: out of range");
  EXPECT_EQ(refused([](Json& basis) { basis["environments"]["env.train"].erase("config_digest"); }),
            invalid + ".environments.env.train.config_digest: missing");
}

TEST_F(PlanFileTest, RefusesAMalformedEnvelope) {
  WriteText(R"({"spotform_plan": "1"})");
  EXPECT_EQ(ReadError(), path_ + ": invalid plan file: spotform_plan: expected an integer");
  WriteText(R"({"spotform_plan": 0})");
  EXPECT_EQ(ReadError(), path_ + ": invalid plan file: spotform_plan: unknown format 0");
  WriteText(R"({"spotform_plan": 1, "plan": {}})");
  EXPECT_EQ(ReadError(), path_ + ": invalid plan file: checksum: expected a string");
  WriteText(R"({"spotform_plan": 1, "checksum": "x", "plan": []})");
  EXPECT_EQ(ReadError(), path_ + ": invalid plan file: plan: expected an object");
}

TEST_F(PlanFileTest, ShowingASavedPlanShowsThePlanAsMade) {
  namespace t = spotform::testing;
  const EnvironmentSpec render = t::Spec("render", 3);
  const EnvironmentSpec train = t::Spec("train", 2, Mode::kBatch, "ap-guangzhou-4");
  const EnvironmentSpec old = t::Spec("old", 1);
  const StateSnapshot state =
      t::StateOf({{render,
                   {t::PoolOf("p-aaaa0001", render, 3,
                              {t::Ins("ins-r1", "RUNNING", 1), t::Ins("ins-r2", "RUNNING", 2),
                               t::Ins("ins-r3", "PENDING", 3)})}},
                  {t::Spec("train", 2, Mode::kBatch),
                   {t::PoolOf("p-bbbb0002", t::Spec("train", 2, Mode::kBatch), 2,
                              {t::Node("node-t1", "RUNNING"), t::Node("node-t2", "RUNNING")})}},
                  {old, {t::PoolOf("p-cccc0003", old, 1, {t::Ins("ins-o1", "RUNNING")})}}});
  const Plan plan = MakePlan(t::ConfigOf({t::Spec("render", 1), train}), state, PlanOptions{});
  ASSERT_TRUE(plan.HasChanges());

  ASSERT_TRUE(WritePlanFile(path_, plan).ok());
  Result<Plan> read = ReadPlanFile(path_);
  ASSERT_TRUE(read.ok()) << read.error().message();
  ExpectSamePlan(plan, *read);
  EXPECT_EQ(RenderPlanText(*read, RenderOptions{}), RenderPlanText(plan, RenderOptions{}));
  EXPECT_EQ(RenderPlanJson(*read), RenderPlanJson(plan));
  EXPECT_TRUE(CheckPlanIsCurrent(*read, state, t::ConfigOf({t::Spec("render", 1), train})).ok());
}

TEST_F(PlanFileTest, LargePlanRoundTrips) {
  // 1,000 environments releasing 100 instances each (the benchmark's scale).
  std::vector<Change> changes;
  for (int e = 0; e < 1000; ++e) {
    Change change = ScaleDownRender();
    change.address = "env.e" + std::to_string(e);
    change.steps[1].ids.clear();
    for (int i = 0; i < 100; ++i) {
      change.steps[1].ids.push_back("ins-" + std::to_string(e * 100 + i));
    }
    changes.push_back(std::move(change));
  }
  const Plan plan = PlanOf(std::move(changes));
  ASSERT_TRUE(WritePlanFile(path_, plan).ok());
  Result<Plan> read = ReadPlanFile(path_);
  ASSERT_TRUE(read.ok()) << read.error().message();
  ExpectSamePlan(plan, *read);
  EXPECT_EQ(read->Summary().release, 100000);
  EXPECT_FALSE(RenderPlanText(*read, RenderOptions{}).empty());
}

// --- plan files made before plans had a basis (issue 16): the old rules ---
// EmptyPlan() has no basis, as such a file reads: any write to the state or any change of
// the config makes it stale.

StateSnapshot StateAt(const std::string& lineage, int64_t serial) {
  StateSnapshot state;
  state.lineage = lineage;
  state.serial = serial;
  return state;
}

Config ConfigWithDigest(const std::string& digest) {
  Config config;
  config.digest = digest;
  return config;
}

TEST(CheckPlanIsCurrentTest, AcceptsTheStateAndConfigItWasMadeFrom) {
  const Plan plan = EmptyPlan();  // lineage 6f1c..., serial 7, digest 9b1d5e
  ASSERT_FALSE(plan.basis.has_value());
  EXPECT_TRUE(CheckPlanIsCurrent(plan, StateAt(plan.lineage, 7), ConfigWithDigest("9b1d5e")).ok());
}

TEST(CheckPlanIsCurrentTest, RefusesAnotherState) {
  Status status =
      CheckPlanIsCurrent(EmptyPlan(), StateAt("11111111-2222", 7), ConfigWithDigest("9b1d5e"));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind(), ErrorKind::kConflict);
  EXPECT_EQ(status.error().message(),
            "the plan was made for a different state (lineage "
            "6f1c2d3e-0000-4000-8000-00000000abcd, this state is 11111111-2222)");
}

TEST(CheckPlanIsCurrentTest, RefusesAStateWrittenSince) {
  Status status =
      CheckPlanIsCurrent(EmptyPlan(), StateAt(EmptyPlan().lineage, 9), ConfigWithDigest("9b1d5e"));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind(), ErrorKind::kConflict);
  EXPECT_EQ(status.error().message(),
            "the state changed since the plan was made (serial 7, now 9): run `spotform plan` "
            "again");
}

TEST(CheckPlanIsCurrentTest, RefusesAChangedConfig) {
  Status status =
      CheckPlanIsCurrent(EmptyPlan(), StateAt(EmptyPlan().lineage, 7), ConfigWithDigest("ffff00"));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind(), ErrorKind::kConflict);
  EXPECT_EQ(status.error().message(),
            "spotform.yaml changed since the plan was made: run `spotform plan` again");
}

TEST(CheckPlanIsCurrentTest, PlanFromAnUnwrittenStateMatchesAnyUnwrittenState) {
  Plan plan;
  plan.lineage = "lineage-of-the-first-open";
  plan.config_digest = "d";
  const Config config = ConfigWithDigest("d");
  EXPECT_TRUE(CheckPlanIsCurrent(plan, StateAt("lineage-of-the-first-open", 0), config).ok());
  EXPECT_TRUE(CheckPlanIsCurrent(plan, StateAt("lineage-of-a-later-open", 0), config).ok());
  plan.lineage = "";
  EXPECT_TRUE(CheckPlanIsCurrent(plan, StateAt("lineage-of-a-later-open", 0), config).ok());
  Status changed =
      CheckPlanIsCurrent(plan, StateAt("lineage-of-a-later-open", 0), ConfigWithDigest("other"));
  ASSERT_FALSE(changed.ok());
  EXPECT_EQ(changed.error().message(),
            "spotform.yaml changed since the plan was made: run `spotform plan` again");
}

TEST(CheckPlanIsCurrentTest, PlanFromAnUnwrittenStateIsRefusedOnceAStateWasWritten) {
  Plan plan;
  plan.config_digest = "d";
  const Config config = ConfigWithDigest("d");
  Status written = CheckPlanIsCurrent(plan, StateAt("fresh-lineage", 1), config);
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.error().kind(), ErrorKind::kConflict);
  EXPECT_EQ(written.error().message(),
            "the plan was made for a different state (lineage none, this state is fresh-lineage)");
  plan.lineage = "a";
  EXPECT_EQ(CheckPlanIsCurrent(plan, StateAt("a", 1), config).error().message(),
            "the state changed since the plan was made (serial 0, now 1): run `spotform plan` "
            "again");
}

TEST(CheckPlanIsCurrentTest, WrittenStatesMustShareTheLineage) {
  Plan plan = EmptyPlan();
  plan.serial = 3;
  const Config config = ConfigWithDigest("9b1d5e");
  EXPECT_FALSE(CheckPlanIsCurrent(plan, StateAt("b", 3), config).ok());
  EXPECT_FALSE(CheckPlanIsCurrent(plan, StateAt(plan.lineage, 0), config).ok());
}

}  // namespace
}  // namespace spotform
