// Minimal placeholder so that everything links; the cloud model helper replaces it.
#include "providers/sim/cloud_model.h"

namespace spotform::sim {

class SimWorld {};

CloudModel::CloudModel(CloudModelOptions options, const Clock& clock)
    : options_(options), clock_(clock), world_(std::make_unique<SimWorld>()) {}
CloudModel::~CloudModel() = default;

Result<nlohmann::json> CloudModel::Call(const CallContext&, const std::string& action,
                                        const nlohmann::json&) {
  return Error(ErrorKind::kTerminal, "not implemented yet: " + action, "InvalidAction");
}
bool CloudModel::Supports(const std::string&) { return false; }
std::string CloudModel::ProductOf(const std::string&) { return ""; }
void CloudModel::Tick() {}
void CloudModel::Reset() {}
Status CloudModel::UpdateMarket(const MarketUpdate&) { return Status::Ok(); }
Status CloudModel::Reclaim(const std::vector<std::string>&) { return Status::Ok(); }
nlohmann::json CloudModel::ListInstances() const { return nlohmann::json::array(); }
Status CloudModel::LoadScenario(const std::string&) { return Status::Ok(); }

}  // namespace spotform::sim
