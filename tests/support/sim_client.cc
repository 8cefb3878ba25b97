#include "tests/support/sim_client.h"

#include <gtest/gtest.h>

#include <utility>

namespace spotform {

std::unique_ptr<ClientStack> SimClientStack(const SimProcess& sim, Clock& clock,
                                            ClientOptions options) {
  options.endpoint = sim.endpoint();
  Result<std::unique_ptr<ClientStack>> stack =
      ClientStack::Create(options, Credentials(kSimSecretId, kSimSecretKey), clock);
  EXPECT_TRUE(stack.ok()) << stack.error().ToString();
  return stack.ok() ? std::move(stack).value() : nullptr;
}

}  // namespace spotform
