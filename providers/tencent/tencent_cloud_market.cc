// TencentCloud's spot market verbs: DescribeSpotOffers and GetSpotOffer
// (DescribeZoneInstanceConfigInfos) and DescribeSpotQuota (DescribeAccountQuota).
#include <set>
#include <utility>

#include "providers/tencent/id_lists.h"
#include "providers/tencent/market_codec.h"
#include "providers/tencent/parallel_calls.h"
#include "providers/tencent/response_reader.h"
#include "providers/tencent/tencent_cloud.h"

namespace spotform {

namespace {

// "ap-guangzhou-3 S5.MEDIUM4" for one zone and type, else "zones ap-guangzhou-3 and 1 more,
// types S5.MEDIUM4 and 2 more": how errors name an offer query.
std::string OfferQuerySubject(const std::vector<std::string>& zones,
                              const std::vector<std::string>& types) {
  std::string text = "DescribeZoneInstanceConfigInfos ";
  if (zones.size() == 1 && types.size() == 1) return text + zones.front() + " " + types.front();
  return text + "zones " + DescribeIds(zones) + ", types " + DescribeIds(types);
}

}  // namespace

Result<std::vector<SpotOffer>> TencentCloud::OfferChunk(
    const std::vector<std::string>& zones, const std::vector<std::string>& types) const {
  Result<ApiResponse> response =
      Call("cvm", "DescribeZoneInstanceConfigInfos", EncodeSpotOffersQuery(zones, types),
           OfferQuerySubject(zones, types));
  if (!response.ok()) return response.error();
  Result<std::vector<ResponseReader>> items =
      ResponseReader("DescribeZoneInstanceConfigInfos", *response).Array("InstanceTypeQuotaSet");
  if (!items.ok()) return items.error();
  std::vector<SpotOffer> offers;
  for (const ResponseReader& item : *items) {
    // The filters already select SPOTPAID; an item that says otherwise is not a spot offer.
    Result<std::string> charge_type = item.OptionalString("InstanceChargeType");
    if (!charge_type.ok()) return charge_type.error();
    if (!charge_type->empty() && *charge_type != "SPOTPAID") continue;
    Result<SpotOffer> offer = DecodeSpotOffer(item);
    if (!offer.ok()) return offer.error();
    offers.push_back(std::move(*offer));
  }
  return offers;
}

Result<std::vector<SpotOffer>> TencentCloud::DescribeSpotOffers(
    const std::vector<std::string>& zones, const std::vector<std::string>& instance_types) {
  // One call per (zone chunk, type chunk): a filter holds at most kMaxFilterValues values.
  const std::vector<std::vector<std::string>> zone_chunks =
      Chunked(Deduplicated(zones), kMaxFilterValues);
  const std::vector<std::vector<std::string>> type_chunks =
      Chunked(Deduplicated(instance_types), kMaxFilterValues);
  std::vector<std::pair<size_t, size_t>> calls;
  for (size_t z = 0; z < zone_chunks.size(); ++z) {
    for (size_t t = 0; t < type_chunks.size(); ++t) calls.emplace_back(z, t);
  }
  Result<std::vector<std::vector<SpotOffer>>> answered =
      ParallelMap<std::vector<SpotOffer>>(calls.size(), options_.max_parallel, [&](size_t i) {
        return OfferChunk(zone_chunks[calls[i].first], type_chunks[calls[i].second]);
      });
  if (!answered.ok()) return answered.error();

  // Only the pairs asked for, once each (the first the cloud listed).
  const std::set<std::string> wanted_zones(zones.begin(), zones.end());
  const std::set<std::string> wanted_types(instance_types.begin(), instance_types.end());
  std::set<std::pair<std::string, std::string>> seen;
  std::vector<SpotOffer> offers;
  for (std::vector<SpotOffer>& chunk : *answered) {
    for (SpotOffer& offer : chunk) {
      if (wanted_zones.count(offer.zone) == 0 || wanted_types.count(offer.instance_type) == 0 ||
          !seen.emplace(offer.zone, offer.instance_type).second) {
        continue;
      }
      offers.push_back(std::move(offer));
    }
  }
  return offers;
}

Result<SpotOffer> TencentCloud::GetSpotOffer(const std::string& zone,
                                             const std::string& instance_type) {
  Result<std::vector<SpotOffer>> offers = DescribeSpotOffers({zone}, {instance_type});
  if (!offers.ok()) return offers.error();
  if (offers->empty()) {
    return Error(ErrorKind::kNotFound,
                 OfferQuerySubject({zone}, {instance_type}) + ": not sold as spot in this zone");
  }
  SpotOffer offer = std::move(offers->front());
  return offer;
}

Result<std::vector<SpotQuota>> TencentCloud::DescribeSpotQuota() {
  Result<ApiResponse> response = Call("cvm", "DescribeAccountQuota", EncodeSpotQuotaQuery(),
                                      "DescribeAccountQuota SpotPaidQuotaSet");
  if (!response.ok()) return response.error();
  return DecodeSpotQuotaSet(ResponseReader("DescribeAccountQuota", *response));
}

}  // namespace spotform
