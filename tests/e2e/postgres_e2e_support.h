#pragma once

// Shared by the end-to-end suites of the PostgreSQL state backend: a project folder and a
// ticked emulator (ApplyFixture) with a fresh workspace of the test cluster for its state.

#include <memory>
#include <string>

#include "state/pg_state_store.h"
#include "tests/e2e/apply_e2e_support.h"
#include "tests/state/state_test_support.h"

namespace spotform::e2e {

class PostgresFixture : public ApplyFixture {
 protected:
  void SetUp() override {
    ApplyFixture::SetUp();
    url_ = PgTestUrl();
    ASSERT_FALSE(url_.empty());
    workspace_ = FreshWorkspace();
  }

  // The test's workspace, through a connection of its own.
  std::unique_ptr<PgStateStore> Store() {
    Result<std::unique_ptr<PgStateStore>> store = OpenPgStateStore(url_, workspace_, clock_);
    EXPECT_TRUE(store.ok()) << store.error().message();
    return store.ok() ? std::move(*store) : nullptr;
  }

  // What the test's workspace records.
  StateSnapshot LoadWorkspace() {
    std::unique_ptr<PgStateStore> store = Store();
    if (store == nullptr) return {};
    Result<StateSnapshot> state = store->Load();
    EXPECT_TRUE(state.ok());
    return state.ok() ? *state : StateSnapshot();
  }

  SystemClock clock_;
  std::string url_;
  std::string workspace_;
};

}  // namespace spotform::e2e
