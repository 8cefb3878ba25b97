// Endpoint choice and the plain-http-only-for-loopback rule.
#include "providers/tencent/endpoint.h"

#include <gtest/gtest.h>

namespace spotform {
namespace {

ResolvedEndpoint Resolve(const std::string& custom, bool region_hosts, const std::string& service,
                         const std::string& region) {
  Result<EndpointResolver> resolver = EndpointResolver::Create(custom, region_hosts);
  EXPECT_TRUE(resolver.ok()) << resolver.error().ToString();
  Result<ResolvedEndpoint> endpoint = resolver->Resolve(service, region);
  EXPECT_TRUE(endpoint.ok()) << endpoint.error().ToString();
  return *endpoint;
}

TEST(Endpoint, DefaultHostsPerProduct) {
  ResolvedEndpoint cvm = Resolve("", false, "cvm", "ap-guangzhou");
  EXPECT_EQ(cvm.url, "https://cvm.tencentcloudapi.com/");
  EXPECT_EQ(cvm.host, "cvm.tencentcloudapi.com");
  EXPECT_EQ(Resolve("", false, "batch", "ap-guangzhou").url, "https://batch.tencentcloudapi.com/");
}

TEST(Endpoint, RegionPinnedHosts) {
  ResolvedEndpoint cvm = Resolve("", true, "cvm", "ap-guangzhou");
  EXPECT_EQ(cvm.url, "https://cvm.ap-guangzhou.tencentcloudapi.com/");
  EXPECT_EQ(cvm.host, "cvm.ap-guangzhou.tencentcloudapi.com");
  EXPECT_EQ(Resolve("", true, "batch", "ap-shanghai-fsi").host,
            "batch.ap-shanghai-fsi.tencentcloudapi.com");
  EXPECT_EQ(Resolve("", true, "cvm", "").host, "cvm.tencentcloudapi.com");
}

TEST(Endpoint, RegionMustLookLikeARegionForAHostName) {
  Result<EndpointResolver> resolver = EndpointResolver::Create("", true);
  ASSERT_TRUE(resolver.ok());
  Result<ResolvedEndpoint> endpoint = resolver->Resolve("cvm", "evil.example.com/x");
  ASSERT_FALSE(endpoint.ok());
  EXPECT_EQ(endpoint.error().message(),
            "endpoint: region 'evil.example.com/x' is not a region name");
}

TEST(Endpoint, CustomEndpointServesEveryProduct) {
  ResolvedEndpoint cvm = Resolve("http://127.0.0.1:9000", false, "cvm", "ap-guangzhou");
  EXPECT_EQ(cvm.url, "http://127.0.0.1:9000/");
  EXPECT_EQ(cvm.host, "127.0.0.1:9000");
  EXPECT_EQ(Resolve("http://127.0.0.1:9000", true, "batch", "ap-guangzhou").url,
            "http://127.0.0.1:9000/");
  EXPECT_EQ(Resolve("https://proxy.example.com", false, "cvm", "").host, "proxy.example.com");
  EXPECT_EQ(Resolve("http://[::1]:8080/", false, "cvm", "").host, "[::1]:8080");
  EXPECT_EQ(Resolve("http://localhost:1", false, "cvm", "").url, "http://localhost:1/");
}

TEST(Endpoint, PlainHttpOnlyForLoopback) {
  Result<EndpointResolver> remote = EndpointResolver::Create("http://10.0.0.5:9000", false);
  ASSERT_FALSE(remote.ok());
  EXPECT_EQ(remote.error().kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(remote.error().message(),
            "endpoint http://10.0.0.5:9000: plain http is only allowed for loopback hosts "
            "(127.0.0.0/8, ::1, localhost); use https");
  EXPECT_TRUE(EndpointResolver::Create("http://127.1.2.3:9000", false).ok());
}

TEST(Endpoint, MalformedEndpoints) {
  EXPECT_EQ(EndpointResolver::Create("ftp://127.0.0.1", false).error().message(),
            "endpoint ftp://127.0.0.1: scheme must be http or https");
  EXPECT_FALSE(EndpointResolver::Create("not a url", false).ok());
  EXPECT_FALSE(EndpointResolver::Create("https://host/?a=b", false).ok());
}

TEST(Endpoint, LoopbackHosts) {
  EXPECT_TRUE(IsLoopbackHost("127.0.0.1"));
  EXPECT_TRUE(IsLoopbackHost("127.255.0.9"));
  EXPECT_TRUE(IsLoopbackHost("::1"));
  EXPECT_TRUE(IsLoopbackHost("localhost"));
  EXPECT_FALSE(IsLoopbackHost("128.0.0.1"));
  EXPECT_FALSE(IsLoopbackHost("localhost.example.com"));
  EXPECT_FALSE(IsLoopbackHost("127.0.0.1.nip.io"));
}

}  // namespace
}  // namespace spotform
