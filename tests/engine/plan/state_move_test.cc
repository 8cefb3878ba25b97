// The rules of `spotform state mv` (engine/plan/state_move.h): what may move where, which pool
// a moved instance joins, and who takes a share of the expected count (the planner's rule).
#include "engine/plan/state_move.h"

#include <gtest/gtest.h>

#include "engine/plan/liveness.h"
#include "tests/support/spec_builders.h"

namespace spotform {
namespace {

using testing::ConfigOf;
using testing::Ins;
using testing::Node;
using testing::PoolOf;
using testing::Spec;
using testing::StateOf;

// One line per operation of `edit`, in order.
std::vector<std::string> Ops(const StateEdit& edit) {
  std::vector<std::string> lines;
  for (const StateEdit::Op& op : edit.ops()) {
    if (const auto* put = std::get_if<StateEdit::PutEnvironment>(&op)) {
      lines.push_back("put env." + put->applied.name + " desired " +
                      std::to_string(put->applied.desired_count));
    } else if (const auto* removed = std::get_if<StateEdit::RemoveEnvironment>(&op)) {
      lines.push_back("remove env." + removed->name);
    } else if (const auto* pool = std::get_if<StateEdit::PutPool>(&op)) {
      lines.push_back("put pool " + pool->pool.id + " in env." + pool->environment + " (spec " +
                      pool->pool.spec.name + ", expected " +
                      std::to_string(pool->pool.expected_count) + ", " +
                      std::to_string(pool->pool.instances.size()) + " instances)");
    } else if (const auto* count = std::get_if<StateEdit::SetExpectedCount>(&op)) {
      lines.push_back("expected " + count->pool_id + " in env." + count->environment + " = " +
                      std::to_string(count->count));
    } else if (const auto* put_ids = std::get_if<StateEdit::PutInstances>(&op)) {
      std::string ids;
      for (const RecordedInstance& instance : put_ids->instances) ids += " " + instance.id;
      lines.push_back("put instances in " + put_ids->pool_id + " of env." + put_ids->environment +
                      ":" + ids);
    } else if (const auto* removed_ids = std::get_if<StateEdit::RemoveInstances>(&op)) {
      std::string ids;
      for (const std::string& id : removed_ids->ids) ids += " " + id;
      lines.push_back("remove instances from " + removed_ids->pool_id + " of env." +
                      removed_ids->environment + ":" + ids);
    } else {
      lines.push_back("other");
    }
  }
  return lines;
}

StateAddress Address(const std::string& text) {
  Result<StateAddress> address = ParseStateAddress(text);
  EXPECT_TRUE(address.ok()) << text;
  return address.ok() ? *address : StateAddress{};
}

// render (2 expected: one running, one in `render_state`) and preview (1 expected), one shape;
// science (batch); tokyo (another zone); mid (being replaced: only a pool of the old type).
StateSnapshot World(const std::string& render_state = "RUNNING") {
  const EnvironmentSpec render = Spec("render", 2);
  const EnvironmentSpec preview = Spec("preview", 1);
  const EnvironmentSpec science = Spec("science", 1, Mode::kBatch);
  const EnvironmentSpec tokyo = Spec("tokyo", 1, Mode::kCvm, "ap-guangzhou-4");
  const EnvironmentSpec mid = Spec("mid", 1, Mode::kCvm, "ap-guangzhou-3", "S5.LARGE8");
  return StateOf({
      {render,
       {PoolOf("p-1", render, 2,
               {Ins("ins-aaaa1111", "RUNNING"), Ins("ins-bbbb2222", render_state)})}},
      {preview, {PoolOf("p-2", preview, 1, {Ins("ins-cccc3333", "RUNNING")})}},
      {science, {PoolOf("p-3", science, 1, {Node("node-dddd4444", "RUNNING")})}},
      {tokyo, {PoolOf("p-4", tokyo, 1, {})}},
      {mid, {PoolOf("p-5", Spec("mid", 1), 1, {})}},
  });
}

Result<StateMove> Move(const StateSnapshot& state, const std::string& from, const std::string& to,
                       const Config& config = ConfigOf({})) {
  return PlanStateMove(config, state, Address(from), Address(to));
}

std::string MoveError(const StateSnapshot& state, const std::string& from, const std::string& to,
                      ErrorKind kind) {
  Result<StateMove> move = Move(state, from, to);
  EXPECT_FALSE(move.ok()) << from << " -> " << to;
  if (move.ok()) return "";
  EXPECT_EQ(move.error().kind(), kind) << move.error().message();
  return move.error().message();
}

// --- Renames --------------------------------------------------------------------------------

TEST(StateMove, ARenameRewritesTheEnvironmentWithItsPoolsUnderTheNewName) {
  Result<StateMove> move = Move(World(), "env.render", "env.farm");
  ASSERT_TRUE(move.ok()) << move.error().message();
  EXPECT_EQ(move->from, "env.render");
  EXPECT_EQ(move->to, "env.farm");
  EXPECT_EQ(Ops(move->edit), (std::vector<std::string>{
                                 "remove env.render",
                                 "put env.farm desired 2",
                                 "put pool p-1 in env.farm (spec farm, expected 2, 2 instances)",
                             }));
  EXPECT_TRUE(move->expected_counts.empty());
}

TEST(StateMove, ARenameTheConfigDoesNotFollowYetSaysWhatTheNextPlanWouldDo) {
  struct NoteCase {
    std::vector<std::string> declared;
    std::string note;
  };
  const NoteCase cases[] = {
      {{"render"},
       "spotform.yaml does not declare env.farm but still declares env.render: rename it there "
       "too, or the next plan creates env.render anew and destroys env.farm."},
      {{},
       "spotform.yaml does not declare env.farm: rename it there too, or the next plan "
       "destroys env.farm."},
      {{"farm"}, ""},
      {{"render", "farm"}, ""},
  };
  for (const NoteCase& c : cases) {
    SCOPED_TRACE(::testing::PrintToString(c.declared));
    std::vector<EnvironmentSpec> specs;
    for (const std::string& name : c.declared) specs.push_back(Spec(name, 2));
    Config config = ConfigOf(specs);
    config.file = "spotform.yaml";
    Result<StateMove> move = Move(World(), "env.render", "env.farm", config);
    ASSERT_TRUE(move.ok()) << move.error().message();
    EXPECT_EQ(move->note, c.note);
  }
}

TEST(StateMove, ARenameNeitherMergesNorKeepsTheName) {
  EXPECT_EQ(MoveError(World(), "env.render", "env.preview", ErrorKind::kConflict),
            "env.preview is already in the state; mv does not merge environments (`spotform "
            "state rm env.preview` first if it should go)");
  EXPECT_EQ(MoveError(World(), "env.render", "env.render", ErrorKind::kInvalidInput),
            "env.render is already called that; nothing to do");
}

TEST(StateMove, AnEnvironmentMovesOnlyToAnEnvironmentAddress) {
  Status checked = CheckMoveAddresses(Address("env.render"), Address("env.farm.ins-aaaa1111"));
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.error().kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(checked.error().message(),
            "an environment moves to an environment address (env.NAME), not to "
            "env.farm.ins-aaaa1111");
  EXPECT_EQ(MoveError(World(), "env.render", "env.farm.ins-aaaa1111", ErrorKind::kInvalidInput),
            checked.error().message());
  EXPECT_TRUE(CheckMoveAddresses(Address("env.render"), Address("env.farm")).ok());
  EXPECT_TRUE(CheckMoveAddresses(Address("env.render.ins-aaaa1111"), Address("env.preview")).ok());
}

TEST(StateMove, ASourceThatIsNotRecordedGetsTheAddressHints) {
  EXPECT_EQ(MoveError(World(), "env.rendr", "env.farm", ErrorKind::kNotFound),
            "env.rendr is not in the state; did you mean env.render?");
  EXPECT_EQ(MoveError(World(), "env.preview.ins-aaaa1111", "env.render", ErrorKind::kNotFound),
            "env.preview.ins-aaaa1111 is not in the state; ins-aaaa1111 is recorded as "
            "env.render.ins-aaaa1111");
}

// --- Instances ------------------------------------------------------------------------------

TEST(StateMove, ALiveInstanceJoinsTheCurrentPoolWithItsShareOfTheExpectedCount) {
  Result<StateMove> move = Move(World(), "env.render.ins-aaaa1111", "env.preview");
  ASSERT_TRUE(move.ok()) << move.error().message();
  EXPECT_EQ(move->from, "env.render.ins-aaaa1111");
  EXPECT_EQ(move->to, "env.preview.ins-aaaa1111");
  EXPECT_EQ(Ops(move->edit), (std::vector<std::string>{
                                 "remove instances from p-1 of env.render: ins-aaaa1111",
                                 "put instances in p-2 of env.preview: ins-aaaa1111",
                                 "expected p-1 in env.render = 1",
                                 "expected p-2 in env.preview = 2",
                                 "put env.render desired 1",
                                 "put env.preview desired 2",
                             }));
  ASSERT_EQ(move->expected_counts.size(), 2u);
  EXPECT_EQ(move->expected_counts[0].environment, "render");
  EXPECT_EQ(move->expected_counts[0].before, 2);
  EXPECT_EQ(move->expected_counts[0].after, 1);
  EXPECT_EQ(move->expected_counts[1].environment, "preview");
  EXPECT_EQ(move->expected_counts[1].before, 1);
  EXPECT_EQ(move->expected_counts[1].after, 2);
  EXPECT_EQ(move->note, "");
}

TEST(StateMove, AnInstanceAddressedWithItsIdAtTheDestinationMovesTheSame) {
  Result<StateMove> move = Move(World(), "env.render.ins-aaaa1111", "env.preview.ins-aaaa1111");
  ASSERT_TRUE(move.ok()) << move.error().message();
  EXPECT_EQ(move->to, "env.preview.ins-aaaa1111");
}

// The planner's rule (engine/plan/liveness.h): only a live instance counts, so only a live
// one takes a share of the expected count along. A TERMINATING or DELETING one is leaving
// and no longer counted by the planner, so moving it must not lower the source's count.
TEST(StateMove, OnlyWhatThePlannerCountsAsLiveTakesAShare) {
  struct ShareCase {
    const char* state;
    bool takes_share;
  };
  const ShareCase cases[] = {
      {"RUNNING", true},   {"PENDING", true}, {"TERMINATING", false},
      {"DELETING", false}, {"GONE", false},   {"LAUNCH_FAILED", false},
  };
  for (const ShareCase& c : cases) {
    SCOPED_TRACE(c.state);
    const StateSnapshot state = World(c.state);
    EXPECT_EQ(IsLiveInstance(Ins("ins-bbbb2222", c.state), Mode::kCvm), c.takes_share)
        << "the planner's rule";
    Result<StateMove> move = Move(state, "env.render.ins-bbbb2222", "env.preview");
    ASSERT_TRUE(move.ok()) << move.error().message();
    if (c.takes_share) {
      EXPECT_EQ(move->edit.ops().size(), 6u);
      EXPECT_EQ(move->expected_counts.size(), 2u);
    } else {
      EXPECT_EQ(Ops(move->edit), (std::vector<std::string>{
                                     "remove instances from p-1 of env.render: ins-bbbb2222",
                                     "put instances in p-2 of env.preview: ins-bbbb2222",
                                 }));
      EXPECT_TRUE(move->expected_counts.empty());
    }
  }
}

TEST(StateMove, AnInstanceMovesOnlyBetweenRecordedEnvironmentsOfOneShape) {
  struct RefusalCase {
    std::string from;
    std::string to;
    ErrorKind kind;
    std::string error;
  };
  const RefusalCase cases[] = {
      {"env.science.node-dddd4444", "env.render", ErrorKind::kInvalidInput,
       "env.science.node-dddd4444 is a node of a Batch compute environment, which keeps it; "
       "Batch nodes cannot move to another environment"},
      {"env.render.ins-aaaa1111", "env.preview.ins-cccc3333", ErrorKind::kInvalidInput,
       "an instance keeps its id: move env.render.ins-aaaa1111 to env.preview (or "
       "env.preview.ins-aaaa1111)"},
      {"env.render.ins-aaaa1111", "env.render", ErrorKind::kInvalidInput,
       "env.render.ins-aaaa1111 is already in env.render"},
      {"env.render.ins-aaaa1111", "env.previw", ErrorKind::kNotFound,
       "env.previw is not in the state; did you mean env.preview? (an instance moves into an "
       "environment that is recorded)"},
      {"env.render.ins-aaaa1111", "env.mid", ErrorKind::kConflict,
       "env.mid has no pool of its applied shape to move env.render.ins-aaaa1111 into; run "
       "`spotform apply` first"},
      {"env.render.ins-aaaa1111", "env.tokyo", ErrorKind::kInvalidInput,
       "env.render.ins-aaaa1111 does not fit env.tokyo: zone ap-guangzhou-3 vs ap-guangzhou-4; "
       "an instance moves only between environments of one shape"},
      {"env.render.ins-aaaa1111", "env.science", ErrorKind::kInvalidInput,
       "env.render.ins-aaaa1111 does not fit env.science: mode cvm vs batch; an instance moves "
       "only between environments of one shape"},
  };
  for (const RefusalCase& c : cases) {
    SCOPED_TRACE(c.from + " -> " + c.to);
    EXPECT_EQ(MoveError(World(), c.from, c.to, c.kind), c.error);
  }
}

TEST(StateMove, TheShapeDifferenceNamesTheFirstFieldThatDiffers) {
  struct ShapeCase {
    EnvironmentSpec destination;
    std::string difference;
  };
  EnvironmentSpec image = Spec("other", 1);
  image.image_id = "img-00000000";
  const ShapeCase cases[] = {
      {Spec("other", 1, Mode::kCvm, "ap-guangzhou-3", "S5.LARGE8"),
       "instance_type S5.MEDIUM4 vs S5.LARGE8"},
      {image, "image_id img-pmqg1cw7 vs img-00000000"},
      {Spec("other", 1, Mode::kCvm, "ap-guangzhou-3", "S5.MEDIUM4", "0.70"),
       "max_price 0.60 vs 0.70"},
  };
  for (const ShapeCase& c : cases) {
    SCOPED_TRACE(c.difference);
    const EnvironmentSpec render = Spec("render", 1);
    const StateSnapshot state =
        StateOf({{render, {PoolOf("p-1", render, 1, {Ins("ins-aaaa1111", "RUNNING")})}},
                 {c.destination, {PoolOf("p-2", c.destination, 0, {})}}});
    EXPECT_EQ(MoveError(state, "env.render.ins-aaaa1111", "env.other", ErrorKind::kInvalidInput),
              "env.render.ins-aaaa1111 does not fit env.other: " + c.difference +
                  "; an instance moves only between environments of one shape");
  }
  // The same price written differently is one shape.
  const EnvironmentSpec render = Spec("render", 1);
  const EnvironmentSpec same = Spec("other", 1, Mode::kCvm, "ap-guangzhou-3", "S5.MEDIUM4", "0.6");
  const StateSnapshot state =
      StateOf({{render, {PoolOf("p-1", render, 1, {Ins("ins-aaaa1111", "RUNNING")})}},
               {same, {PoolOf("p-2", same, 0, {})}}});
  EXPECT_TRUE(Move(state, "env.render.ins-aaaa1111", "env.other").ok());
}

TEST(StateMove, AnInstanceJoinsThePoolOfTheAppliedShapeNotOneBeingRetired) {
  const EnvironmentSpec render = Spec("render", 1);
  const EnvironmentSpec preview = Spec("preview", 1);
  const EnvironmentSpec old_preview = Spec("preview", 1, Mode::kCvm, "ap-guangzhou-3", "S5.LARGE8");
  const StateSnapshot state =
      StateOf({{render, {PoolOf("p-1", render, 1, {Ins("ins-aaaa1111", "RUNNING")})}},
               {preview, {PoolOf("p-old", old_preview, 1, {}), PoolOf("p-new", preview, 0, {})}}});
  Result<StateMove> move = Move(state, "env.render.ins-aaaa1111", "env.preview");
  ASSERT_TRUE(move.ok()) << move.error().message();
  EXPECT_EQ(Ops(move->edit)[1], "put instances in p-new of env.preview: ins-aaaa1111");
  EXPECT_EQ(Ops(move->edit)[3], "expected p-new in env.preview = 1");
}

TEST(StateMove, TheSourceCountNeverGoesBelowZero) {
  const EnvironmentSpec render = Spec("render", 0);
  const EnvironmentSpec preview = Spec("preview", 1);
  const StateSnapshot state =
      StateOf({{render, {PoolOf("p-1", render, 0, {Ins("ins-aaaa1111", "RUNNING")})}},
               {preview, {PoolOf("p-2", preview, 1, {})}}});
  Result<StateMove> move = Move(state, "env.render.ins-aaaa1111", "env.preview");
  ASSERT_TRUE(move.ok()) << move.error().message();
  EXPECT_EQ(Ops(move->edit)[2], "expected p-1 in env.render = 0");
  EXPECT_EQ(Ops(move->edit)[4], "put env.render desired 0");
  EXPECT_EQ(move->expected_counts[0].after, 0);
}

}  // namespace
}  // namespace spotform
