#include "providers/sim/instance_view.h"

#include "providers/sim/request_params.h"
#include "engine/model/crypto.h"

namespace spotform::sim {

using nlohmann::json;

std::string PrivateIpOf(const Instance& instance) {
  uint64_t n = instance.seq;
  return "10." + std::to_string((n >> 16) & 0xff) + "." + std::to_string((n >> 8) & 0xff) + "." +
         std::to_string(n & 0xff);
}

std::string PublicIpOf(const Instance& instance) {
  if (!instance.public_ip) return "";
  uint64_t n = instance.seq;
  return "203." + std::to_string((n >> 16) & 0xff) + "." + std::to_string((n >> 8) & 0xff) + "." +
         std::to_string(n & 0xff);
}

std::string UuidOf(const Instance& instance) {
  std::string hex = Sha256Hex(instance.id);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

namespace {

const char* LatestOperationState(const Instance& instance) {
  switch (instance.state) {
    case InstanceState::kRunning:
      return "SUCCESS";
    case InstanceState::kLaunchFailed:
      return "FAILED";
    case InstanceState::kPending:
    case InstanceState::kTerminating:
      return "OPERATING";
  }
  return "OPERATING";
}

}  // namespace

json InstanceToJson(const Instance& instance, const Market& market) {
  const InstanceTypeInfo* type = market.FindType(instance.instance_type);
  std::string public_ip = PublicIpOf(instance);
  json out;
  out["Placement"] = {{"Zone", instance.zone}, {"ProjectId", instance.project_id}};
  out["InstanceId"] = instance.id;
  out["InstanceType"] = instance.instance_type;
  out["CPU"] = type != nullptr ? type->cpu : 0;
  out["Memory"] = type != nullptr ? type->memory_gb : 0;
  out["RestrictState"] = "NORMAL";
  out["InstanceName"] = instance.name;
  out["InstanceChargeType"] = ChargeTypeName(instance.charge_type);
  out["SystemDisk"] = {{"DiskType", instance.system_disk_type},
                       {"DiskId", "disk-" + instance.id.substr(4)},
                       {"DiskSize", instance.system_disk_size}};
  out["DataDisks"] = json::array();
  out["PrivateIpAddresses"] = json::array({PrivateIpOf(instance)});
  out["PublicIpAddresses"] = public_ip.empty() ? json(nullptr) : json::array({public_ip});
  out["InternetAccessible"] = {{"InternetChargeType", "TRAFFIC_POSTPAID_BY_HOUR"},
                               {"InternetMaxBandwidthOut", instance.bandwidth_out},
                               {"PublicIpAssigned", instance.public_ip}};
  out["VirtualPrivateCloud"] = {{"VpcId", instance.vpc_id},
                                {"SubnetId", instance.subnet_id},
                                {"AsVpcGateway", false},
                                {"PrivateIpAddresses", json::array({PrivateIpOf(instance)})}};
  out["ImageId"] = instance.image_id;
  out["RenewFlag"] = nullptr;
  out["CreatedTime"] = FormatIsoTime(instance.created_unix);
  out["ExpiredTime"] = nullptr;
  out["OsName"] = "TencentOS Server 3.1 (TK4)";
  out["SecurityGroupIds"] = instance.security_group_ids;
  out["LoginSettings"] = {{"KeyIds", json::array()}};
  out["InstanceState"] = InstanceStateName(instance.state);
  out["Tags"] = TagsToJson(instance.tags);
  out["StopChargingMode"] = "NOT_APPLICABLE";
  out["Uuid"] = UuidOf(instance);
  out["LatestOperation"] = instance.latest_operation;
  out["LatestOperationState"] = LatestOperationState(instance);
  out["LatestOperationRequestId"] = instance.request_id;
  out["LatestOperationErrorMsg"] = instance.error_msg;
  out["IPv6Addresses"] = nullptr;
  out["CamRoleName"] = "";
  out["HpcClusterId"] = "";
  out["RdmaIpAddresses"] = nullptr;
  out["IsolatedSource"] = "NOTISOLATED";
  out["DisasterRecoverGroupIds"] = nullptr;
  out["GPUInfo"] = nullptr;
  out["LicenseType"] = "TencentCloud";
  out["DisableApiTermination"] = instance.disable_api_termination;
  out["DefaultLoginUser"] = "root";
  out["DefaultLoginPort"] = 22;
  return out;
}

}  // namespace spotform::sim
