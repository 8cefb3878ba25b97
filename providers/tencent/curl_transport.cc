#include "providers/tencent/curl_transport.h"

#include <curl/curl.h>

#include <array>
#include <string>

#include "providers/tencent/endpoint.h"
#include "providers/tencent/error_table.h"

namespace spotform {
namespace {

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

// Appends `line` to `list`; false (the list unchanged) when curl is out of memory.
bool Append(Slist& list, const char* line) {
  curl_slist* grown = curl_slist_append(list.get(), line);
  if (grown == nullptr) return false;
  if (grown != list.get()) list.reset(grown);  // the first line makes the list's head
  return true;
}

size_t AppendBody(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

Error TransportError(std::string_view code, const std::string& url, const std::string& what) {
  return Error(ErrorKind::kTransport, "POST " + url + ": " + what, std::string(code));
}

}  // namespace

struct CurlTransport::Share {
  struct Deleter {
    void operator()(CURLSH* share) const { curl_share_cleanup(share); }
  };
  std::unique_ptr<CURLSH, Deleter> handle{curl_share_init()};
  std::array<std::mutex, CURL_LOCK_DATA_LAST> locks;

  static void Lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
    static_cast<Share*>(user)->locks[data].lock();
  }
  static void Unlock(CURL*, curl_lock_data data, void* user) {
    static_cast<Share*>(user)->locks[data].unlock();
  }
};

struct CurlTransport::EasyHandle {
  struct Deleter {
    void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
  };
  std::unique_ptr<CURL, Deleter> curl{curl_easy_init()};
};

CurlTransport::CurlTransport(CurlTransportOptions options)
    : options_(options), share_(std::make_unique<Share>()) {
  if (share_->handle) {
    CURLSH* share = share_->handle.get();
    curl_share_setopt(share, CURLSHOPT_LOCKFUNC, &Share::Lock);
    curl_share_setopt(share, CURLSHOPT_UNLOCKFUNC, &Share::Unlock);
    curl_share_setopt(share, CURLSHOPT_USERDATA, share_.get());
    curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  }
}

// Easy handles must go before the share they point to.
CurlTransport::~CurlTransport() { pool_.clear(); }

std::unique_ptr<CurlTransport::EasyHandle> CurlTransport::Borrow() {
  {
    std::lock_guard<std::mutex> lock(pool_mutex_);
    if (!pool_.empty()) {
      std::unique_ptr<EasyHandle> handle = std::move(pool_.back());
      pool_.pop_back();
      return handle;
    }
  }
  return std::make_unique<EasyHandle>();
}

void CurlTransport::Return(std::unique_ptr<EasyHandle> handle) {
  std::lock_guard<std::mutex> lock(pool_mutex_);
  pool_.push_back(std::move(handle));
}

Result<HttpResponse> CurlTransport::Post(const HttpRequest& request) {
  Result<ParsedUrl> url = ParseUrl(request.url);
  if (!url.ok()) return TransportError(kCodeBadRequest, request.url, url.error().message());
  if (Status secure = CheckTransportSecurity(*url); !secure.ok()) {
    return TransportError(kCodeBadRequest, request.url, secure.error().message());
  }

  std::unique_ptr<EasyHandle> handle = Borrow();
  CURL* curl = handle->curl.get();
  if (curl == nullptr) return TransportError(kCodeNetwork, request.url, "curl_easy_init failed");
  curl_easy_reset(curl);  // keeps the connection cache

  Slist headers;
  for (const auto& [name, value] : request.headers) {
    const std::string line = name + ": " + value;
    if (!Append(headers, line.c_str())) {
      return TransportError(kCodeNetwork, request.url, "out of memory");
    }
  }
  // No "Expect: 100-continue" round trip for larger bodies.
  Append(headers, "Expect:");

  std::string body;
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &AppendBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.total_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for DNS timeouts
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  if (IsLoopbackHost(url->host)) curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  if (share_->handle) curl_easy_setopt(curl, CURLOPT_SHARE, share_->handle.get());
  char detail[CURL_ERROR_SIZE] = "";  // libcurl's specific reason, e.g. which certificate check
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, detail);

  const CURLcode code = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  long request_bytes = 0;  // bytes of request headers sent: 0 means nothing left this host
  curl_easy_getinfo(curl, CURLINFO_REQUEST_SIZE, &request_bytes);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(curl, CURLOPT_SHARE, nullptr);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
  Return(std::move(handle));

  if (code == CURLE_OK) return HttpResponse{status, std::move(body)};
  const std::string what = curl_easy_strerror(code);
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
      return TransportError(kCodeConnectFailed, request.url, what);
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
      return TransportError(kCodeTls, request.url,
                            "TLS certificate not accepted (" +
                                std::string(detail[0] != '\0' ? detail : what) +
                                "): the server could not prove it is " + url->host +
                                "; nothing was sent");
    case CURLE_OPERATION_TIMEDOUT:
      if (request_bytes == 0) return TransportError(kCodeConnectFailed, request.url, what);
      return TransportError(
          kCodeTimeout, request.url,
          "no complete reply within " + std::to_string(options_.total_timeout.count()) + " ms");
    default:
      if (request_bytes == 0) return TransportError(kCodeConnectFailed, request.url, what);
      return TransportError(kCodeNetwork, request.url, what);
  }
}

}  // namespace spotform
