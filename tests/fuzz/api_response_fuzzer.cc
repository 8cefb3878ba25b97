// libFuzzer target: API replies through the real Tencent client. The first byte (mod 16) picks
// one Cloud verb of TencentCloud (CVM: RunInstances, DescribeInstances by id and by search,
// TerminateInstances, DescribeZoneInstanceConfigInfos for one pair and for several,
// DescribeAccountQuota, RunInstances as a dry run and with MinCount; Batch: CreateComputeEnv,
// DescribeComputeEnv(s), ModifyComputeEnv, TerminateComputeNodes, DeleteComputeEnv,
// DescribeComputeEnvActivities); the rest is the HTTP 200 body every call of that verb gets
// back. Corpus files are named after the verb's number n (their first byte is '0' + n). The
// reply goes through SignedApiClient's envelope parsing, then the verb's decoders
// (ResponseReader, instance_codec, market_codec, batch_codec, wire_values) and paging. Every
// outcome must be a value or a clean Error; nothing may crash, hang or allocate without bound.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "providers/tencent/credentials.h"
#include "providers/tencent/endpoint.h"
#include "providers/tencent/http_transport.h"
#include "providers/tencent/signed_api_client.h"
#include "providers/tencent/tencent_cloud.h"
#include "tests/fuzz/fixed_random.h"
#include "tests/support/fake_clock.h"
#include "tests/support/spec_builders.h"

namespace spotform {
namespace {

// Answers every POST with the same body, at most kMaxCalls times per input (then a
// connection error), so a reply that asks for endless pages still ends.
class ReplayTransport final : public HttpTransport {
 public:
  static constexpr int kMaxCalls = 16;

  explicit ReplayTransport(std::string body) : body_(std::move(body)) {}

  Result<HttpResponse> Post(const HttpRequest&) override {
    if (++calls_ > kMaxCalls) {
      return Error(ErrorKind::kTransport, "fuzz transport: call budget spent", "ConnectFailed");
    }
    return HttpResponse{200, body_};
  }

 private:
  std::string body_;
  int calls_ = 0;
};

LaunchSpec Launch() {
  LaunchSpec spec = testing::LaunchOf(2, "spotform-fuzz-launch-0001");
  spec.tags = {{"spotform-env", "render"}};
  return spec;
}

ComputeEnvSpec Env() {
  return testing::ComputeEnvOf("render", 2, "spotform-fuzz-env-0001", "0.60");
}

std::string Text(const Status& status) { return status.ok() ? "ok" : status.error().ToString(); }

// Runs verb `which` and touches every field of its result (so ASan sees any bad read).
size_t RunVerb(TencentCloud& cloud, uint8_t which) {
  size_t seen = 0;
  auto count = [&seen](const std::string& text) { seen += text.size(); };
  switch (which % 16) {
    case 0: {
      auto ids = cloud.LaunchSpotInstances(Launch());
      if (ids.ok())
        for (const auto& id : *ids) count(id);
      else
        count(ids.error().ToString());
      break;
    }
    case 1: {
      auto observed = cloud.DescribeInstances({"ins-00000001", "ins-00000002", "ins-00000003"});
      if (observed.ok()) {
        for (const auto& instance : observed->found) count(instance.id + instance.state_text);
        for (const auto& id : observed->missing) count(id);
      } else {
        count(observed.error().ToString());
      }
      break;
    }
    case 2: {
      auto found =
          cloud.FindInstances(InstanceQuery{{{"spotform-env", "render"}}, "ap-guangzhou-3"});
      if (found.ok())
        for (const auto& instance : *found) count(instance.id + instance.latest_error);
      else
        count(found.error().ToString());
      break;
    }
    case 3: {
      auto outcome = cloud.TerminateInstances({InstanceRef{"ins-00000001", std::nullopt},
                                               InstanceRef{"ins-00000002", ChargeType::kSpot}});
      if (outcome.ok()) {
        for (const auto& id : outcome->terminated) count(id);
        for (const auto& id : outcome->skipped) count(id);
      } else {
        count(outcome.error().ToString());
      }
      break;
    }
    case 4: {
      auto offer = cloud.GetSpotOffer("ap-guangzhou-3", "S5.MEDIUM4");
      if (offer.ok())
        count(offer->zone + offer->instance_type);
      else
        count(offer.error().ToString());
      break;
    }
    case 5: {
      auto id = cloud.CreateComputeEnv(Env());
      count(id.ok() ? *id : id.error().ToString());
      break;
    }
    case 6: {
      auto env = cloud.DescribeComputeEnv("env-00000001");
      if (env.ok()) {
        count(env->info.id + env->info.name + env->info.next_action);
        for (const auto& node : env->nodes) count(node.id + node.instance_id + node.state_text);
      } else {
        count(env.error().ToString());
      }
      break;
    }
    case 7: {
      auto envs = cloud.ListComputeEnvs(ComputeEnvQuery{{{"team", "vfx"}}, "ap-guangzhou-3", ""});
      if (envs.ok())
        for (const auto& env : *envs) count(env.id + env.zone);
      else
        count(envs.error().ToString());
      break;
    }
    case 8:
      count(Text(cloud.SetDesiredCount("env-00000001", 3)));
      break;
    case 9:
      count(Text(cloud.TerminateComputeNodes("env-00000001", {"node-00000001", "node-00000002"})));
      break;
    case 10:
      count(Text(cloud.DeleteComputeEnv("env-00000001")));
      break;
    case 11: {
      auto activities = cloud.DescribeComputeEnvActivities("env-00000001");
      if (activities.ok()) {
        for (const auto& activity : *activities) count(activity.id + activity.cause);
      } else {
        count(activities.error().ToString());
      }
      break;
    }
    case 12: {
      auto offers = cloud.DescribeSpotOffers({"ap-guangzhou-3", "ap-guangzhou-4"},
                                             {"S5.MEDIUM4", "S5.LARGE8", "SA2.MEDIUM4"});
      if (offers.ok())
        for (const auto& offer : *offers) count(offer.zone + offer.instance_type);
      else
        count(offers.error().ToString());
      break;
    }
    case 13: {
      auto quotas = cloud.DescribeSpotQuota();
      if (quotas.ok())
        for (const auto& quota : *quotas) count(quota.zone);
      else
        count(quotas.error().ToString());
      break;
    }
    case 14: {
      LaunchSpec spec = Launch();
      spec.min_count = 1;
      count(Text(cloud.DryRunLaunch(spec)));
      break;
    }
    default: {
      LaunchSpec spec = Launch();
      spec.count = 5;
      spec.min_count = 2;
      auto ids = cloud.LaunchSpotInstances(spec);
      if (ids.ok())
        for (const auto& id : *ids) count(id);
      else
        count(ids.error().ToString());
      break;
    }
  }
  return seen;
}

}  // namespace
}  // namespace spotform

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  spotform::fuzz::RestartFixedRandom();
  using namespace spotform;
  if (size == 0) return 0;
  static const EndpointResolver endpoints =
      EndpointResolver::Create("http://127.0.0.1:9000", false).value();
  FakeClock clock;
  ReplayTransport transport(std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
  SignedApiClient client(transport, endpoints, Credentials("AKIDFUZZ", "fuzz-secret"), clock);
  TencentCloud cloud(client, TencentCloudOptions{"ap-guangzhou", 1});
  RunVerb(cloud, data[0]);
  return 0;
}
