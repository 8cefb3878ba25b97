#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/model/cloud.h"  // kMaxBatchInstanceTypes, the Batch limit the parser applies
#include "engine/model/environment_spec.h"
#include "engine/model/result.h"

namespace spotform {

// The value rules of spotform.yaml (spec §3), one function per kind of value. Each returns
// an Error whose message is what is wrong, without the subject (the parser prefixes the
// key's path: "environments.render.zone: ..."). Messages quote the offending value, cut to
// a readable length, except where the value may be a secret.

inline constexpr int kMaxCvmDesiredCount = 10000;   // spotform's own sanity bound
inline constexpr int kMaxBatchDesiredCount = 2000;  // Batch Compute: nodes per environment
inline constexpr int kOwnerTagCount = 3;            // spotform-lineage, -env, -pool
inline constexpr int kMaxBatchTags = 10;            // Batch Compute: tags per environment
inline constexpr int kMaxCvmTags = 50;              // Tencent Cloud: tags per resource
inline constexpr size_t kMaxTagKeyLength = 127;
inline constexpr size_t kMaxTagValueLength = 255;
inline constexpr int kMaxPriceFractionDigits = 6;

// `text` in backticks; long values are cut to 60 characters and end in "...".
std::string Quoted(std::string_view text);

// Region names look like `ap-guangzhou` or `ap-shanghai-fsi`.
Status CheckRegion(std::string_view region);
// Zones are `<region>-<n>`. With an empty region (unknown) only the shape is checked.
Status CheckZone(std::string_view zone, std::string_view region);
// `FAMILY.SIZE` in capitals, e.g. `S5.MEDIUM4`; a lower-case name gets a hint.
Status CheckInstanceType(std::string_view instance_type);
// `img-` and 8 lower-case letters or digits.
Status CheckImageId(std::string_view image_id);
// `cvm` or `batch`.
Result<Mode> ParseMode(std::string_view text);
// A positive decimal below 10000 with at most 6 fraction digits, e.g. "0.60".
Status CheckMaxPrice(std::string_view text);
// A whole number 0..the mode's limit. Never overflows, whatever the length of `text`.
Result<int> ParseDesiredCount(std::string_view text, Mode mode);
// Usable in the address `env.NAME`: [a-z][a-z0-9_-]{0,62}.
Status CheckEnvironmentName(std::string_view name);
// Not empty, not too long, not reserved (`spotform-`; Tencent's `qcloud`, `tencent`,
// `project`).
Status CheckTagKey(std::string_view key);
Status CheckTagValue(std::string_view value);
// The user's tags plus spotform's owner tags must fit the cloud's per-resource limit.
Status CheckTagCount(size_t count, Mode mode);
// http(s)://host[:port][/]; plain http only to a loopback host.
Status CheckEndpoint(std::string_view url);
// A tccli profile name: letters, digits, `_`, `-`, `.`.
Status CheckProfile(std::string_view profile);
// `sqlite` or `postgres`.
Status CheckBackend(std::string_view backend);
// postgresql://[USER@]HOST[:PORT]/DATABASE[?PARAMETERS] (or postgres://), without a password
// (neither `user:password@` nor a `password=` parameter).
Status CheckStateUrl(std::string_view url);
// True when a URL holds a password (`user:password@host` or a `password=` parameter).
bool UrlHasPassword(std::string_view url);
// The URL with every password replaced by `***`, fit for messages and logs.
std::string RedactUrlPassword(std::string_view url);
// Where a PostgreSQL password belongs instead of the config.
std::string PostgresPasswordMessage();
// [a-z0-9][a-z0-9_-]{0,62}.
Status CheckWorkspace(std::string_view workspace);
// Not empty.
Status CheckStatePath(std::string_view path);

// True for key names that hold credentials: secret_id, secretKey, token, password, ...
bool IsCredentialKey(std::string_view key);
// True for text shaped like a Tencent Cloud SecretId (`AKID` + at least 12 letters/digits),
// or a URL with a password in it.
bool LooksLikeSecret(std::string_view text);
// Where credentials belong instead of the config.
std::string CredentialsMessage();

}  // namespace spotform
