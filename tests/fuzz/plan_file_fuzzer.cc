// libFuzzer target: saved plan files through the real reader (ParsePlanFile, which
// ReadPlanFile calls after reading the file: format, version, checksum, DecodePlan), then
// what `spotform show FILE` and `apply FILE` do with a plan that was accepted (render it as
// text and JSON). The checksum stops most mutated files before DecodePlan, so the "plan"
// object of any input that is JSON is also decoded directly, and re-stamped with its
// checksum and read again, so the decoder and renderers see mutated plans too.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "engine/model/crypto.h"
#include "engine/plan/plan_codec.h"
#include "engine/plan/plan_file.h"
#include "engine/plan/plan_render_json.h"
#include "engine/plan/plan_render_text.h"

namespace {

constexpr char kPath[] = "/fuzz/saved.plan";

size_t Use(const spotform::Result<spotform::Plan>& plan) {
  if (!plan.ok()) return plan.error().ToString().size();
  spotform::RenderOptions options;
  options.color = true;
  return spotform::RenderPlanText(*plan, options).size() + spotform::RenderPlanJson(*plan).size();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using Json = nlohmann::ordered_json;
  const std::string text(reinterpret_cast<const char*>(data), size);
  size_t seen = Use(spotform::ParsePlanFile(kPath, text));

  Json document = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object()) return 0;
  auto body = document.find("plan");
  if (body == document.end() || !body->is_object()) return 0;
  seen += Use(spotform::DecodePlan(*body));
  // The checksum rule of plan files: sha256 of the compact plan object.
  document["checksum"] =
      "sha256:" + spotform::Sha256Hex(body->dump(-1, ' ', false, Json::error_handler_t::replace));
  seen += Use(
      spotform::ParsePlanFile(kPath, document.dump(2, ' ', false, Json::error_handler_t::replace)));
  return seen == SIZE_MAX ? 1 : 0;
}
