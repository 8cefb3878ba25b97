#include "tests/support/tls_test_server.h"

#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <chrono>

namespace spotform {
namespace {

struct KeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct CertDeleter {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct ExtensionDeleter {
  void operator()(X509_EXTENSION* extension) const { X509_EXTENSION_free(extension); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyDeleter>;
using CertPtr = std::unique_ptr<X509, CertDeleter>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, ExtensionDeleter>;

Error OpenSslError(const std::string& what) {
  return Error(ErrorKind::kInternal, "TlsTestServer: " + what + " failed");
}

// A self-signed certificate for 127.0.0.1 over `key`, valid from an hour ago for a day.
Result<CertPtr> SelfSignedCertificate(EVP_PKEY* key) {
  CertPtr cert(X509_new());
  if (!cert) return OpenSslError("X509_new");
  if (X509_set_version(cert.get(), 2) != 1) return OpenSslError("X509_set_version");
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
  if (X509_set_pubkey(cert.get(), key) != 1) return OpenSslError("X509_set_pubkey");
  X509_NAME* name = X509_get_subject_name(cert.get());
  const auto* common_name = reinterpret_cast<const unsigned char*>("127.0.0.1");
  if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, common_name, -1, -1, 0) != 1) {
    return OpenSslError("X509_NAME_add_entry_by_txt");
  }
  if (X509_set_issuer_name(cert.get(), name) != 1) return OpenSslError("X509_set_issuer_name");
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, cert.get(), cert.get(), nullptr, nullptr, 0);
  ExtensionPtr names(
      X509V3_EXT_conf_nid(nullptr, &context, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost"));
  if (!names || X509_add_ext(cert.get(), names.get(), -1) != 1) {
    return OpenSslError("adding subjectAltName");
  }
  if (X509_sign(cert.get(), key, EVP_sha256()) == 0) return OpenSslError("X509_sign");
  return cert;
}

}  // namespace

Result<std::unique_ptr<TlsTestServer>> TlsTestServer::Start() {
  KeyPtr key(EVP_EC_gen("P-256"));
  if (!key) return OpenSslError("EVP_EC_gen");
  Result<CertPtr> cert = SelfSignedCertificate(key.get());
  if (!cert.ok()) return cert.error();
  // SSLServer takes its own references to the certificate and key.
  auto server = std::make_unique<httplib::SSLServer>(cert->get(), key.get());
  if (!server->is_valid()) return OpenSslError("SSLServer setup");
  auto tls = std::make_unique<TlsTestServer>(Key(), std::move(server));
  if (tls->port_ <= 0) return Error(ErrorKind::kInternal, "TlsTestServer: no free port");
  return tls;
}

TlsTestServer::TlsTestServer(Key, std::unique_ptr<httplib::SSLServer> server)
    : server_(std::move(server)) {
  server_->Post(".*", [this](const httplib::Request&, httplib::Response& response) {
    ++requests_;
    response.set_content(R"({"Response":{"RequestId":"tls-test"}})", "application/json");
  });
  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) return;
  thread_ = std::thread([this] {
    server_->listen_after_bind();
    listen_done_ = true;
  });
  // stop() is a no-op until the accept loop runs, so wait for it.
  while (!server_->is_running() && !listen_done_) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

TlsTestServer::~TlsTestServer() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace spotform
