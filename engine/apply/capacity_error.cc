#include "engine/apply/capacity_error.h"

#include <cmath>
#include <cstdio>

#include "engine/model/words.h"

namespace spotform {
namespace {

std::string_view StockName(StockLevel stock) {
  switch (stock) {
    case StockLevel::kEnough:
      return "enough";
    case StockLevel::kNormal:
      return "normal";
    case StockLevel::kLow:
      return "low";
    case StockLevel::kNone:
      return "none";
    case StockLevel::kUnknown:
      return "unknown";
  }
  return "unknown";
}

bool IsPriceCode(const std::string& code) {
  return code.find("InsufficientPrice") != std::string::npos;
}

bool IsStockCode(const std::string& code) {
  return code.find("InsufficientOffering") != std::string::npos ||
         code.starts_with("ResourceInsufficient") || code.starts_with("ResourcesSoldOut");
}

}  // namespace

Error ExplainLaunchFailure(Cloud& cloud, const std::string& address, const LaunchSpec& spec,
                           const Error& error) {
  const std::string prefix = address + ": launch failed: ";
  const std::string& code = error.code();
  if (error.kind() != ErrorKind::kCapacity || (!IsPriceCode(code) && !IsStockCode(code))) {
    return Error(error.kind(), prefix + error.ToString(), code, error.request_id());
  }
  const std::string where = spec.instance_type + " in " + spec.zone;
  Result<SpotOffer> offer = cloud.GetSpotOffer(spec.zone, spec.instance_type);
  std::string message;
  if (IsPriceCode(code)) {
    if (offer.ok()) {
      const std::string market = FormatPrice(offer->hourly_price);
      message = "bid " + spec.max_price + " < market " + market + " for " + where +
                "; raise max_price to at least " + market +
                " or choose another zone or instance type";
    } else {
      message = "bid " + spec.max_price + " is below the market price for " + where +
                " (the market price could not be read: " + offer.error().ToString() +
                "); raise max_price or choose another zone or instance type";
    }
  } else {
    const std::string stock = offer.ok() ? std::string(StockName(offer->stock)) : "unknown";
    message = "not enough spot stock for " + std::to_string(spec.count) + " x " + where +
              " (stock: " + stock + "); lower desired_count, or try another zone or instance type";
  }
  return Error(ErrorKind::kCapacity, prefix + code + ": " + message, code, error.request_id());
}

}  // namespace spotform
