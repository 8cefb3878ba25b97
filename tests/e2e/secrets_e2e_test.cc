// Secrets never leave the process (spec §4): a full plan / apply / scale-down / show /
// destroy cycle with a distinctive SecretKey and SecurityToken, every command with
// --verbose, plus failing runs (a cloud error, a refused signature), and then every byte
// spotform wrote or printed is searched for the key and the token.
//
// What is searched for, and why: the raw strings, and every 12-character piece of them (a
// prefix/suffix "masking" such as AKID...1234 would leak a piece); their hex and base64
// forms (what a careless dump of a header or a binary buffer would print). The key is only
// ever an HMAC key, so no other encoding of it can reach the wire or a file; the token goes
// on the wire as the X-TC-Token header, which --verbose must show as <redacted>.
// The SecretId is an identifier, not a secret: it travels in clear in every request's
// Authorization header, and --verbose shows it there (Credential=AKID.../date/service/...),
// as the official SDKs' debug logs do. It never reaches the state or a plan file.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <filesystem>

#include "engine/model/crypto.h"
#include "tests/e2e/apply_e2e_support.h"

namespace spotform {
namespace {

namespace fs = std::filesystem;

std::string Base64(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string Upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

// Every form of `secret` whose presence counts as a leak.
std::vector<std::string> LeakForms(const std::string& secret) {
  std::vector<std::string> forms = {HexEncode(secret), Upper(HexEncode(secret)), Base64(secret)};
  constexpr size_t kPiece = 12;
  for (size_t at = 0; at + kPiece <= secret.size(); ++at)
    forms.push_back(secret.substr(at, kPiece));
  return forms;
}

class SecretsE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    // Distinctive values: 36- and 40-character strings that occur nowhere else.
    secret_id_ = "AKIDsecretstest" + RandomHex(10) + "Z";
    secret_key_ = "SK" + RandomHex(19);
    token_ = "STStoken" + RandomHex(28);
    auto sim = SimProcess::Start(
        {"--no-rate-limit", "--secret-id", secret_id_, "--secret-key", secret_key_});
    ASSERT_TRUE(sim.ok()) << sim.error().ToString();
    sim_ = std::move(sim.value());
    ticker_ = std::make_unique<e2e::SimTicker>(*sim_, std::chrono::milliseconds(20));
    Configure(3);
  }

  void Configure(int render_count) {
    dir_.Write("spotform.yaml",
               e2e::ConfigYaml(sim_->endpoint(),
                               e2e::EnvYaml("render", "cvm", "ap-guangzhou-3", render_count) +
                                   e2e::EnvYaml("farm", "batch", "ap-guangzhou-4", 1)));
  }

  std::map<std::string, std::string> Env(const std::string& key) const {
    return {{"TENCENTCLOUD_SECRET_ID", secret_id_},
            {"TENCENTCLOUD_SECRET_KEY", key},
            {"TENCENTCLOUD_SECURITY_TOKEN", token_},
            {"HOME", dir_.path()}};
  }

  // Runs spotform --verbose and keeps everything it printed for the final scan.
  CliResult Run(std::vector<std::string> args, const std::string& key = "") {
    args.insert(args.begin(), {"--no-color", "--verbose"});
    CliResult result = RunSpotform(args, dir_.path(), Env(key.empty() ? secret_key_ : key));
    printed_.push_back("spotform " + args[2] + " stdout:\n" + result.out);
    printed_.push_back("spotform " + args[2] + " stderr:\n" + result.err);
    return result;
  }

  // Every file under the workspace (state, -wal/-shm if present, plans, anything else).
  std::vector<std::pair<std::string, std::string>> WorkspaceFiles() const {
    std::vector<std::pair<std::string, std::string>> files;
    for (const auto& entry : fs::recursive_directory_iterator(dir_.path())) {
      if (entry.is_regular_file())
        files.emplace_back(entry.path().string(), e2e::ReadFile(entry.path()));
    }
    return files;
  }

  // Fails for every leak form of `secret` found in `text`.
  static void ExpectNoLeak(const std::string& where, const std::string& text,
                           const std::string& secret, const std::string& secret_name) {
    for (const std::string& form : LeakForms(secret)) {
      const size_t at = text.find(form);
      EXPECT_EQ(at, std::string::npos)
          << secret_name << " (as `" << form << "`) leaked into " << where << ": ..."
          << text.substr(at == std::string::npos ? 0 : (at > 80 ? at - 80 : 0), 200) << "...";
      if (at != std::string::npos) return;  // one report per place is enough
    }
  }

  std::string secret_id_;
  std::string secret_key_;
  std::string token_;
  TempDir dir_;
  std::unique_ptr<SimProcess> sim_;
  std::unique_ptr<e2e::SimTicker> ticker_;
  std::vector<std::string> printed_;
};

TEST_F(SecretsE2E, NoPieceOfTheKeyOrTokenReachesFilesOrOutputInAFullCycle) {
  CliResult planned = Run({"plan", "--out", "create.plan"});
  ASSERT_EQ(planned.exit_code, 0) << planned.err;
  CliResult applied = Run({"apply", "create.plan"});
  ASSERT_EQ(applied.exit_code, 0) << applied.err;

  Configure(1);
  CliResult scale = Run({"plan", "--out", "scale.plan"});
  ASSERT_EQ(scale.exit_code, 0) << scale.err;
  EXPECT_NE(scale.err.find("api> DescribeInstances"), std::string::npos)
      << "--verbose logs each request:\n"
      << scale.err;
  EXPECT_NE(scale.err.find("X-TC-Token: <redacted>"), std::string::npos)
      << "the token is sent, and shown redacted:\n"
      << scale.err;
  EXPECT_NE(scale.err.find("Signature=<redacted>"), std::string::npos);
  EXPECT_NE(scale.err.find("Credential=" + secret_id_ + "/"), std::string::npos)
      << "the SecretId is shown in the Authorization scope";
  ASSERT_EQ(Run({"apply", "scale.plan"}).exit_code, 0);
  EXPECT_EQ(Run({"plan", "--detailed-exitcode"}).exit_code, 0);
  EXPECT_EQ(Run({"show", "--json"}).exit_code, 0);
  EXPECT_EQ(Run({"show", "scale.plan"}).exit_code, 0);

  // A cloud error on the way: its message and the verbose dump of the failed call.
  Configure(2);
  ASSERT_TRUE(sim_->InjectFault("RunInstances", "InvalidParameterValue.InsufficientPrice", 1).ok());
  CliResult refused = Run({"apply", "--auto-approve"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("InvalidParameterValue.InsufficientPrice"), std::string::npos)
      << refused.err;

  // A wrong key: the signature is refused; the message says which variable to check and
  // shows neither the wrong key nor the right one.
  const std::string wrong_key = "WRONGKEY" + RandomHex(16);
  CliResult unsigned_run = Run({"plan"}, wrong_key);
  EXPECT_EQ(unsigned_run.exit_code, 1);
  EXPECT_NE(unsigned_run.err.find("AuthFailure.SignatureFailure"), std::string::npos)
      << unsigned_run.err;
  EXPECT_NE(unsigned_run.err.find("; check TENCENTCLOUD_SECRET_KEY (or the tccli profile's "
                                  "secretKey): it does not match the SecretId"),
            std::string::npos)
      << "the message says what to check:\n"
      << unsigned_run.err;
  for (const std::string& text : {unsigned_run.out, unsigned_run.err}) {
    ExpectNoLeak("the wrong-key run's output", text, wrong_key, "the wrong SecretKey");
  }

  CliResult destroyed = Run({"destroy", "--auto-approve"});
  ASSERT_EQ(destroyed.exit_code, 0) << destroyed.err;

  const auto files = WorkspaceFiles();
  ASSERT_GE(files.size(), 4u) << "config, state, two plans";
  for (const auto& [path, bytes] : files) {
    ExpectNoLeak(path, bytes, secret_key_, "the SecretKey");
    ExpectNoLeak(path, bytes, token_, "the SecurityToken");
    if (path.ends_with(".plan") || path.find("/.spotform/") != std::string::npos) {
      EXPECT_EQ(bytes.find(secret_id_), std::string::npos) << "the SecretId is in " << path;
    }
  }
  for (const std::string& text : printed_) {
    ExpectNoLeak(text.substr(0, text.find('\n')), text, secret_key_, "the SecretKey");
    ExpectNoLeak(text.substr(0, text.find('\n')), text, token_, "the SecurityToken");
  }
}

TEST_F(SecretsE2E, WithoutVerboseTheSecretIdIsNotPrintedEither) {
  ASSERT_EQ(Run({"apply", "--auto-approve"}).exit_code, 0);
  CliResult plain = RunSpotform({"--no-color", "plan"}, dir_.path(), Env(secret_key_));
  EXPECT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_EQ(plain.out.find(secret_id_), std::string::npos);
  EXPECT_EQ(plain.err.find(secret_id_), std::string::npos) << plain.err;

  // An unknown SecretId is refused by the emulator with Tencent's code.
  std::map<std::string, std::string> env = Env(secret_key_);
  env["TENCENTCLOUD_SECRET_ID"] = "AKIDunknown" + RandomHex(12);
  CliResult unknown = RunSpotform({"--no-color", "plan"}, dir_.path(), env);
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("AuthFailure.SecretIdNotFound"), std::string::npos) << unknown.err;
  EXPECT_NE(unknown.err.find("check TENCENTCLOUD_SECRET_ID"), std::string::npos) << unknown.err;
  ExpectNoLeak("stderr", unknown.err, secret_key_, "the SecretKey");
  ExpectNoLeak("stderr", unknown.err, token_, "the SecurityToken");
}

}  // namespace
}  // namespace spotform
