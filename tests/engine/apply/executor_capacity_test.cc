// Executor: a cvm launch refused for price or stock is a clear error with the market's
// numbers and what to change; nothing is half-recorded, and other environments carry on.
#include <gtest/gtest.h>

#include "engine/apply/capacity_error.h"
#include "engine/model/words.h"
#include "tests/engine/apply/executor_test_support.h"

namespace spotform {
namespace {

using namespace testing;  // NOLINT: the builders of executor_test_support.h

class ExecutorCapacityTest : public ExecutorTest {
 protected:
  // Refuses launches of `count` instances with `code`; others go through.
  void RefuseLaunchesOf(int count, const std::string& code) {
    cloud_.SetBeforeHook([count, code](const std::string& call) -> std::optional<Error> {
      if (call == "LaunchSpotInstances " + std::to_string(count)) {
        return Error(ErrorKind::kCapacity, "RunInstances: the spot request was refused", code,
                     "req-1");
      }
      return std::nullopt;
    });
  }

  void Market(double price, StockLevel stock) {
    SpotOffer offer;
    offer.zone = "ap-guangzhou-3";
    offer.instance_type = "S5.MEDIUM4";
    offer.hourly_price = price;
    offer.on_sale = true;
    offer.stock = stock;
    cloud_.SetSpotOffer(offer);
  }
};

TEST_F(ExecutorCapacityTest, ABidBelowTheMarketNamesBothPricesAndWhatToChange) {
  RefuseLaunchesOf(5, "InvalidParameterValue.InsufficientPrice");
  Market(0.12, StockLevel::kEnough);
  options_.parallelism = 1;

  ApplyReport report = ApplySpecs(
      {Spec("render", 5, Mode::kCvm, "ap-guangzhou-3", "S5.MEDIUM4", "0.05"), Spec("sim", 3)});

  ASSERT_EQ(report.changes.size(), 2u);
  EXPECT_EQ(report.changes[0].result, Failed());
  EXPECT_EQ(report.changes[0].error,
            "env.render: launch failed: InvalidParameterValue.InsufficientPrice: bid 0.05 < "
            "market 0.12 for S5.MEDIUM4 in ap-guangzhou-3; raise max_price to at least 0.12 or "
            "choose another zone or instance type");
  EXPECT_EQ(report.changes[1].result, Done());
  EXPECT_EQ(CountInState(PoolOfEnv("sim"), "RUNNING"), 3);
  EXPECT_EQ(State().environments.count("render"), 0u)
      << "nothing was launched, so nothing stays recorded (no pool expected 5 with 0 live)";
  EXPECT_TRUE(State().open_intents.empty());
  EXPECT_FALSE(report.ok());
}

TEST_F(ExecutorCapacityTest, TooLittleStockNamesTheStockAndWhatToChange) {
  RefuseLaunchesOf(5, "InvalidParameterValue.InsufficientOffering");
  Market(0.12, StockLevel::kLow);

  ApplyReport report = ApplySpecs({Spec("render", 5), Spec("sim", 3)});

  EXPECT_EQ(report.changes[0].result, Failed());
  EXPECT_EQ(report.changes[0].error,
            "env.render: launch failed: InvalidParameterValue.InsufficientOffering: not enough "
            "spot stock for 5 x S5.MEDIUM4 in ap-guangzhou-3 (stock: low); lower desired_count, "
            "or try another zone or instance type");
  EXPECT_EQ(report.changes[1].result, Done());
  EXPECT_TRUE(State().open_intents.empty());
}

TEST_F(ExecutorCapacityTest, OtherRefusalsKeepTheCloudsCodeAndMessage) {
  RefuseLaunchesOf(5, "LimitExceeded.SpotQuota");

  ApplyReport report = ApplySpecs({Spec("render", 5)});

  EXPECT_EQ(report.changes[0].error,
            "env.render: launch failed: LimitExceeded.SpotQuota: RunInstances: the spot request "
            "was refused (RequestId req-1)");
  EXPECT_TRUE(State().open_intents.empty());
}

TEST(FormatPrice, WritesPricesAsPeopleDo) {
  EXPECT_EQ(FormatPrice(0.12), "0.12");
  EXPECT_EQ(FormatPrice(1.5), "1.5");
  EXPECT_EQ(FormatPrice(2), "2");
  EXPECT_EQ(FormatPrice(0.123456), "0.1235");
}

}  // namespace
}  // namespace spotform
