// State addresses: env.NAME and env.NAME.ID, parsed without a state and found in one.
#include "engine/plan/state_address.h"

#include <gtest/gtest.h>

#include "tests/support/spec_builders.h"

namespace spotform {
namespace {

using namespace testing;  // NOLINT: the literal builders of tests/support/spec_builders.h

constexpr char kForms[] =
    "addresses look like env.NAME or env.NAME.ID (e.g. env.render, env.render.ins-1a2b3c4d, "
    "env.batch.node-1a2b3c4d)";

StateSnapshot TwoEnvironments() {
  const EnvironmentSpec render = Spec("render", 2);
  const EnvironmentSpec science = Spec("science", 1, Mode::kBatch);
  return StateOf(
      {{render,
        {PoolOf("p-1", render, 2, {Ins("ins-aaaa1111", "RUNNING"), Ins("ins-bbbb2222", "GONE")})}},
       {science, {PoolOf("p-2", science, 1, {Node("node-cccc3333", "RUNNING")})}}});
}

std::string ParseError(std::string_view text) {
  Result<StateAddress> address = ParseStateAddress(text);
  EXPECT_FALSE(address.ok()) << text;
  if (address.ok()) return "";
  EXPECT_EQ(address.error().kind(), ErrorKind::kInvalidInput);
  return address.error().message();
}

std::string FindError(const StateSnapshot& state, std::string_view text) {
  Result<StateAddress> address = ParseStateAddress(text);
  EXPECT_TRUE(address.ok()) << text;
  if (!address.ok()) return "";
  Result<AddressTarget> target = FindStateAddress(state, *address);
  EXPECT_FALSE(target.ok()) << text;
  if (target.ok()) return "";
  EXPECT_EQ(target.error().kind(), ErrorKind::kNotFound);
  return target.error().message();
}

TEST(StateAddress, AnEnvironmentAddressNamesTheEnvironment) {
  Result<StateAddress> address = ParseStateAddress("env.render");
  ASSERT_TRUE(address.ok()) << address.error().message();
  EXPECT_EQ(address->environment, "render");
  EXPECT_EQ(address->instance, "");
  EXPECT_FALSE(address->IsInstance());
  EXPECT_EQ(address->ToString(), "env.render");
}

TEST(StateAddress, AnInstanceAddressNamesTheEnvironmentAndTheId) {
  Result<StateAddress> instance = ParseStateAddress("env.render-2.ins-1a2b3c4d");
  ASSERT_TRUE(instance.ok()) << instance.error().message();
  EXPECT_EQ(instance->environment, "render-2");
  EXPECT_EQ(instance->instance, "ins-1a2b3c4d");
  EXPECT_TRUE(instance->IsInstance());
  EXPECT_EQ(instance->EnvironmentAddress(), "env.render-2");
  EXPECT_EQ(instance->ToString(), "env.render-2.ins-1a2b3c4d");

  Result<StateAddress> node = ParseStateAddress("env.science.node-9z8y7x6w");
  ASSERT_TRUE(node.ok()) << node.error().message();
  EXPECT_EQ(node->instance, "node-9z8y7x6w");
}

TEST(StateAddress, MalformedAddressesShowTheAcceptedForms) {
  EXPECT_EQ(ParseError("render"), std::string("\"render\" is not a state address: ") + kForms);
  EXPECT_EQ(ParseError(""), std::string("\"\" is not a state address: ") + kForms);
  EXPECT_EQ(ParseError("env."),
            std::string("\"env.\" is not a state address: \"\" is not an environment name (a "
                        "lower-case letter, then lower-case letters, digits, '_' or '-'); ") +
                kForms);
  EXPECT_EQ(ParseError("env.Render"),
            std::string("\"env.Render\" is not a state address: \"Render\" is not an "
                        "environment name (a lower-case letter, then lower-case letters, "
                        "digits, '_' or '-'); ") +
                kForms);
  EXPECT_EQ(ParseError("env.render.i-123"),
            std::string("\"env.render.i-123\" is not a state address: \"i-123\" is not an "
                        "instance id like ins-1a2b3c4d or node-1a2b3c4d; ") +
                kForms);
  EXPECT_EQ(ParseError("env.render.ins-"),
            std::string("\"env.render.ins-\" is not a state address: \"ins-\" is not an "
                        "instance id like ins-1a2b3c4d or node-1a2b3c4d; ") +
                kForms);
  EXPECT_EQ(ParseError("env.render.ins-ab.cd"),
            std::string("\"env.render.ins-ab.cd\" is not a state address: \"ins-ab.cd\" is "
                        "not an instance id like ins-1a2b3c4d or node-1a2b3c4d; ") +
                kForms);
}

TEST(StateAddress, FindsEnvironmentsInstancesAndNodes) {
  const StateSnapshot state = TwoEnvironments();
  Result<AddressTarget> env = FindStateAddress(state, *ParseStateAddress("env.render"));
  ASSERT_TRUE(env.ok()) << env.error().message();
  EXPECT_EQ(env->environment->name, "render");
  EXPECT_EQ(env->pool, nullptr);
  EXPECT_EQ(env->instance, nullptr);

  Result<AddressTarget> instance =
      FindStateAddress(state, *ParseStateAddress("env.render.ins-bbbb2222"));
  ASSERT_TRUE(instance.ok()) << instance.error().message();
  EXPECT_EQ(instance->pool->id, "p-1");
  EXPECT_EQ(instance->instance->state, "GONE");

  // A Batch node is found by its node id and by the id of its instance.
  for (const char* text : {"env.science.node-cccc3333", "env.science.ins-cccc3333"}) {
    Result<AddressTarget> node = FindStateAddress(state, *ParseStateAddress(text));
    ASSERT_TRUE(node.ok()) << text << ": " << node.error().message();
    EXPECT_EQ(node->instance->node_id, "node-cccc3333") << text;
  }
}

TEST(StateAddress, UnknownAddressesSuggestTheClosestRecordedOne) {
  const StateSnapshot state = TwoEnvironments();
  EXPECT_EQ(FindError(state, "env.rendr"),
            "env.rendr is not in the state; did you mean env.render?");
  EXPECT_EQ(FindError(state, "env.rendr.ins-aaaa1111"),
            "env.rendr.ins-aaaa1111: env.rendr is not in the state; did you mean env.render?");
  EXPECT_EQ(FindError(state, "env.render.ins-aaaa1112"),
            "env.render.ins-aaaa1112 is not in the state; did you mean "
            "env.render.ins-aaaa1111?");
  EXPECT_EQ(FindError(state, "env.gpu"),
            "env.gpu is not in the state; run `spotform state list` to see the recorded "
            "addresses");
  EXPECT_EQ(FindError(state, "env.render.ins-zzzzzzzz"),
            "env.render.ins-zzzzzzzz is not in the state; run `spotform state list` to see the "
            "recorded addresses");
}

TEST(StateAddress, AnInstanceOfAnotherEnvironmentSaysWhereItIsRecorded) {
  EXPECT_EQ(FindError(TwoEnvironments(), "env.science.ins-aaaa1111"),
            "env.science.ins-aaaa1111 is not in the state; ins-aaaa1111 is recorded as "
            "env.render.ins-aaaa1111");
}

TEST(StateAddress, NothingIsFoundInAnEmptyState) {
  EXPECT_EQ(FindError(StateOf({}), "env.render"),
            "env.render is not in the state: the state is empty");
}

TEST(StateAddress, ListsEachEnvironmentFollowedByItsInstances) {
  const EnvironmentSpec render = Spec("render", 2);
  const EnvironmentSpec replaced = Spec("render", 2, Mode::kCvm, "ap-guangzhou-4");
  StateSnapshot state = TwoEnvironments();
  state.environments["render"].pools.push_back(
      PoolOf("p-3", replaced, 1, {Ins("ins-dddd4444", "PENDING")}));
  EXPECT_EQ(ListStateAddresses(state),
            (std::vector<std::string>{"env.render", "env.render.ins-aaaa1111",
                                      "env.render.ins-bbbb2222", "env.render.ins-dddd4444",
                                      "env.science", "env.science.node-cccc3333"}));
  EXPECT_TRUE(ListStateAddresses(StateOf({})).empty());
}

}  // namespace
}  // namespace spotform
