#include "providers/tencent/tc3_signer.h"

#include <cctype>
#include <ctime>

#include "engine/model/crypto.h"

namespace spotform {
namespace {

constexpr char kAlgorithm[] = "TC3-HMAC-SHA256";

std::string LowerTrimmed(const std::string& value) {
  size_t begin = 0;
  size_t end = value.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(value[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(value[end - 1]))) --end;
  std::string out = value.substr(begin, end - begin);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string UtcDate(int64_t timestamp) {
  std::time_t t = static_cast<std::time_t>(timestamp);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char buffer[16];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%d", &utc);
  return buffer;
}

Tc3Signature SignTc3(const Tc3Input& input, const std::string& secret_id,
                     const std::string& secret_key) {
  // std::map keeps the headers sorted by name, as the canonical form requires.
  std::string canonical_headers;
  std::string signed_header_names;
  for (const auto& [name, value] : input.signed_headers) {
    canonical_headers += name + ":" + LowerTrimmed(value) + "\n";
    if (!signed_header_names.empty()) signed_header_names += ";";
    signed_header_names += name;
  }

  Tc3Signature out;
  out.canonical_request = "POST\n/\n\n" + canonical_headers + "\n" + signed_header_names + "\n" +
                          Sha256Hex(input.payload);
  const std::string date = UtcDate(input.timestamp);
  out.credential_scope = date + "/" + input.service + "/tc3_request";
  out.string_to_sign = std::string(kAlgorithm) + "\n" + std::to_string(input.timestamp) + "\n" +
                       out.credential_scope + "\n" + Sha256Hex(out.canonical_request);

  const std::string secret_date = HmacSha256("TC3" + secret_key, date);
  const std::string secret_service = HmacSha256(secret_date, input.service);
  const std::string secret_signing = HmacSha256(secret_service, "tc3_request");
  out.signature = HexEncode(HmacSha256(secret_signing, out.string_to_sign));
  out.authorization = std::string(kAlgorithm) + " Credential=" + secret_id + "/" +
                      out.credential_scope + ", SignedHeaders=" + signed_header_names +
                      ", Signature=" + out.signature;
  return out;
}

}  // namespace spotform
