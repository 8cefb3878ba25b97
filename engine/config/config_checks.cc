#include "engine/config/config_checks.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <regex>

namespace spotform {
namespace {

constexpr size_t kQuoteLimit = 60;
constexpr int kMaxPriceIntegerDigits = 4;  // prices stay below 10000 per hour

Error Invalid(std::string message) { return Error(ErrorKind::kInvalidInput, std::move(message)); }

// Longer values match no rule. The bound also keeps std::regex, which recurses per
// character, far from the stack's end whatever a file holds.
constexpr size_t kMaxMatchedLength = 4096;

using Match = std::match_results<std::string_view::const_iterator>;

bool MatchInto(std::string_view text, const std::regex& pattern, Match& match) {
  if (text.size() > kMaxMatchedLength) return false;
  return std::regex_match(text.begin(), text.end(), match, pattern);
}

bool Matches(std::string_view text, const std::regex& pattern) {
  Match unused;
  return MatchInto(text, pattern, unused);
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string_view StripLeadingZeros(std::string_view digits) {
  while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);
  return digits;
}

const std::regex& RegionPattern() {
  static const std::regex pattern("[a-z]+(-[a-z]+)+");
  return pattern;
}

bool IsLoopbackHost(std::string_view host) {
  static const std::regex ipv4_loopback("127(\\.[0-9]{1,3}){3}");
  return host == "localhost" || host == "[::1]" || Matches(host, ipv4_loopback);
}

}  // namespace

std::string Quoted(std::string_view text) {
  if (text.size() <= kQuoteLimit) return "`" + std::string(text) + "`";
  return "`" + std::string(text.substr(0, kQuoteLimit)) + "...`";
}

Status CheckRegion(std::string_view region) {
  if (Matches(region, RegionPattern())) return Status::Ok();
  return Invalid(Quoted(region) + " is not a region name like `ap-guangzhou`");
}

Status CheckZone(std::string_view zone, std::string_view region) {
  static const std::regex shape("([a-z]+(-[a-z]+)+)-[1-9][0-9]{0,2}");
  Match match;
  if (!MatchInto(zone, shape, match)) {
    std::string example = region.empty() ? "ap-guangzhou" : std::string(region);
    return Invalid(Quoted(zone) + " is not a zone name like `" + example + "-3`");
  }
  if (!region.empty() && match[1].str() != region) {
    return Invalid("zone " + Quoted(zone) + " is not in region `" + std::string(region) +
                   "` (its zones look like `" + std::string(region) + "-3`)");
  }
  return Status::Ok();
}

Status CheckInstanceType(std::string_view instance_type) {
  static const std::regex shape("[A-Z][A-Z0-9]*\\.[A-Z0-9]+");
  if (Matches(instance_type, shape)) return Status::Ok();
  std::string message =
      Quoted(instance_type) + " is not an instance type like `S5.MEDIUM4` (FAMILY.SIZE)";
  std::string upper = Upper(instance_type);
  if (Matches(upper, shape)) message += "; did you mean `" + upper + "`?";
  return Invalid(message);
}

Status CheckImageId(std::string_view image_id) {
  static const std::regex shape("img-[a-z0-9]{8}");
  if (Matches(image_id, shape)) return Status::Ok();
  return Invalid(Quoted(image_id) +
                 " is not an image ID (`img-` and 8 lower-case letters or digits, like "
                 "`img-pmqg1cw7`)");
}

Result<Mode> ParseMode(std::string_view text) {
  if (text == "cvm") return Mode::kCvm;
  if (text == "batch") return Mode::kBatch;
  return Invalid("must be `cvm` or `batch`, got " + Quoted(text));
}

Status CheckMaxPrice(std::string_view text) {
  static const std::regex decimal("-?([0-9]+)(\\.([0-9]+))?");
  Match match;
  if (!MatchInto(text, decimal, match)) {
    return Invalid("must be a decimal price such as \"0.60\", got " + Quoted(text));
  }
  if (text.front() == '-') return Invalid("must be greater than 0, got " + Quoted(text));
  std::string integer = match[1].str();
  std::string fraction = match[3].str();
  if (fraction.size() > static_cast<size_t>(kMaxPriceFractionDigits)) {
    return Invalid("has more than 6 digits after the decimal point: " + Quoted(text));
  }
  auto is_zero = [](const std::string& digits) {
    return std::all_of(digits.begin(), digits.end(), [](char c) { return c == '0'; });
  };
  if (is_zero(integer) && is_zero(fraction)) {
    return Invalid("must be greater than 0, got " + Quoted(text));
  }
  if (StripLeadingZeros(integer).size() > static_cast<size_t>(kMaxPriceIntegerDigits)) {
    return Invalid("must be below 10000 per hour, got " + Quoted(text));
  }
  return Status::Ok();
}

Result<int> ParseDesiredCount(std::string_view text, Mode mode) {
  static const std::regex whole("-?[0-9]+");
  if (!Matches(text, whole)) return Invalid("must be a whole number, got " + Quoted(text));
  if (text.front() == '-') return Invalid("must be 0 or more, got " + Quoted(text));
  const int limit = mode == Mode::kBatch ? kMaxBatchDesiredCount : kMaxCvmDesiredCount;
  std::string_view digits = StripLeadingZeros(text);
  int value = 0;
  // Anything longer than the limit's digits is over it; shorter numbers fit in an int.
  bool over = digits.size() > std::to_string(limit).size();
  if (!over) {
    std::from_chars(digits.data(), digits.data() + digits.size(), value);
    over = value > limit;
  }
  if (over) {
    std::string why = mode == Mode::kBatch
                          ? " in batch mode (Batch Compute's limit per environment)"
                          : " in cvm mode";
    return Invalid("must be at most " + std::to_string(limit) + why + ", got " + Quoted(text));
  }
  return value;
}

Status CheckEnvironmentName(std::string_view name) {
  static const std::regex shape("[a-z][a-z0-9_-]{0,62}");
  if (Matches(name, shape)) return Status::Ok();
  return Invalid(Quoted(name) +
                 " cannot be an environment name: start with a lower-case letter, then up to 62 "
                 "lower-case letters, digits, `_` or `-`");
}

Status CheckTagKey(std::string_view key) {
  if (key.empty()) return Invalid("tag keys must not be empty");
  if (key.size() > kMaxTagKeyLength) {
    return Invalid("tag key is longer than " + std::to_string(kMaxTagKeyLength) + " characters");
  }
  if (key.starts_with("spotform-")) {
    return Invalid("tag keys starting with `spotform-` are reserved for spotform's owner tags");
  }
  std::string lower = Lower(key);
  for (std::string_view prefix : {"qcloud", "tencent", "project"}) {
    if (lower.starts_with(prefix)) {
      return Invalid(
          "tag keys starting with `qcloud`, `tencent` or `project` are reserved by Tencent Cloud");
    }
  }
  return Status::Ok();
}

Status CheckTagValue(std::string_view value) {
  if (value.size() > kMaxTagValueLength) {
    return Invalid("tag value is longer than " + std::to_string(kMaxTagValueLength) +
                   " characters");
  }
  return Status::Ok();
}

Status CheckTagCount(size_t count, Mode mode) {
  const int cloud_limit = mode == Mode::kBatch ? kMaxBatchTags : kMaxCvmTags;
  const size_t limit = static_cast<size_t>(cloud_limit - kOwnerTagCount);
  if (count <= limit) return Status::Ok();
  std::string where =
      mode == Mode::kBatch
          ? "Batch Compute keeps " + std::to_string(cloud_limit) + " per environment"
          : "Tencent Cloud keeps " + std::to_string(cloud_limit) + " per instance";
  return Invalid(std::string(ModeName(mode)) + " mode allows at most " + std::to_string(limit) +
                 " tags (" + where + " and spotform adds " + std::to_string(kOwnerTagCount) +
                 " owner tags), got " + std::to_string(count));
}

Status CheckEndpoint(std::string_view url) {
  static const std::regex shape(
      "(https?)://"
      "([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*"
      "|\\[[0-9A-Fa-f:.]+\\])"
      "(:([0-9]{1,5}))?/?");
  Match match;
  bool ok = MatchInto(url, shape, match);
  if (ok && match[7].matched) {
    int port = std::stoi(match[7].str());
    ok = port >= 1 && port <= 65535;
  }
  if (!ok) {
    return Invalid(Quoted(url) +
                   " is not an endpoint URL like `http://127.0.0.1:9000` or "
                   "`https://cvm.tencentcloudapi.com`");
  }
  if (match[1].str() == "http" && !IsLoopbackHost(match[2].str())) {
    return Invalid(
        "plain http:// is allowed only to a loopback host (127.0.0.1, localhost, "
        "[::1]); use https:// for `" +
        match[2].str() + "`");
  }
  return Status::Ok();
}

Status CheckProfile(std::string_view profile) {
  static const std::regex shape("[A-Za-z0-9_.-]{1,64}");
  if (Matches(profile, shape)) return Status::Ok();
  return Invalid(Quoted(profile) +
                 " is not a profile name (up to 64 letters, digits, `_`, `-` or `.`)");
}

Status CheckBackend(std::string_view backend) {
  if (backend == "sqlite" || backend == "postgres") return Status::Ok();
  return Invalid("must be `sqlite` or `postgres`, got " + Quoted(backend));
}

namespace {

// Where a URL's user information ("user:password") is: between "://" and the first '@'
// before the host's end; npos when there is none.
std::pair<size_t, size_t> UserInfoSpan(std::string_view url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {std::string_view::npos, 0};
  const size_t start = scheme_end + 3;
  const size_t authority_end = url.find_first_of("/?#", start);
  const size_t at =
      url.rfind('@', authority_end == std::string_view::npos ? url.size() - 1 : authority_end - 1);
  if (at == std::string_view::npos || at < start) return {std::string_view::npos, 0};
  return {start, at - start};
}

// The [start, end) of each "password=VALUE" query parameter's value.
std::vector<std::pair<size_t, size_t>> PasswordParameters(std::string_view url) {
  std::vector<std::pair<size_t, size_t>> spans;
  const size_t query = url.find('?');
  if (query == std::string_view::npos) return spans;
  size_t at = query + 1;
  while (at < url.size()) {
    size_t end = url.find('&', at);
    if (end == std::string_view::npos) end = url.size();
    const std::string_view parameter = url.substr(at, end - at);
    if (Lower(parameter.substr(0, 9)) == "password=") spans.emplace_back(at + 9, end);
    at = end + 1;
  }
  return spans;
}

}  // namespace

bool UrlHasPassword(std::string_view url) {
  const auto [start, length] = UserInfoSpan(url);
  if (start != std::string_view::npos &&
      url.substr(start, length).find(':') != std::string_view::npos) {
    return true;
  }
  return !PasswordParameters(url).empty();
}

std::string RedactUrlPassword(std::string_view url) {
  std::string out(url);
  std::vector<std::pair<size_t, size_t>> secrets = PasswordParameters(url);
  const auto [start, length] = UserInfoSpan(url);
  if (start != std::string_view::npos) {
    const size_t colon = url.substr(start, length).find(':');
    if (colon != std::string_view::npos) secrets.emplace_back(start + colon + 1, start + length);
  }
  // Replace from the back so earlier offsets stay valid.
  std::sort(secrets.begin(), secrets.end());
  for (auto it = secrets.rbegin(); it != secrets.rend(); ++it) {
    out.replace(it->first, it->second - it->first, "***");
  }
  return out;
}

Status CheckStateUrl(std::string_view url) {
  static const std::regex shape("postgres(ql)?://[^\\s]*");
  if (UrlHasPassword(url)) return Invalid(PostgresPasswordMessage());
  if (!Matches(url, shape)) {
    return Invalid(Quoted(url) +
                   " is not a PostgreSQL URL; write postgresql://[USER@]HOST[:PORT]/DATABASE"
                   "[?PARAMETERS]");
  }
  return Status::Ok();
}

std::string PostgresPasswordMessage() {
  return "holds a password, which does not belong in spotform.yaml: put the whole URL in "
         "SPOTFORM_PG_URL (and leave state.url out), or the password in ~/.pgpass (or "
         "PGPASSFILE)";
}

Status CheckWorkspace(std::string_view workspace) {
  static const std::regex shape("[a-z0-9][a-z0-9_-]{0,62}");
  if (Matches(workspace, shape)) return Status::Ok();
  return Invalid(Quoted(workspace) +
                 " is not a workspace name (up to 63 lower-case letters, digits, `_` or `-`)");
}

Status CheckStatePath(std::string_view path) {
  if (path.empty()) return Invalid("must not be empty");
  return Status::Ok();
}

bool IsCredentialKey(std::string_view key) {
  std::string folded;
  for (char c : key) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      folded.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  for (std::string_view word : {"secret", "password", "passwd", "credential"}) {
    if (folded.find(word) != std::string::npos) return true;
  }
  for (std::string_view word : {"apikey", "accesskey", "privatekey"}) {
    if (folded == word) return true;
  }
  return folded.ends_with("token");
}

bool LooksLikeSecret(std::string_view text) {
  static const std::regex secret_id("AKID[A-Za-z0-9]{12,}");
  static const std::regex url_with_password("[A-Za-z][A-Za-z0-9+.-]*://[^/@\\s]*:[^/@\\s]*@.*");
  return Matches(text, secret_id) || Matches(text, url_with_password);
}

std::string CredentialsMessage() {
  return "credentials do not belong in spotform.yaml: set TENCENTCLOUD_SECRET_ID and "
         "TENCENTCLOUD_SECRET_KEY (and TENCENTCLOUD_SECURITY_TOKEN), or use a tccli profile "
         "(provider.profile)";
}

}  // namespace spotform
