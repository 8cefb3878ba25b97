#include "providers/tencent/client_factory.h"

#include "providers/tencent/endpoint.h"
#include "providers/tencent/signed_api_client.h"

namespace spotform {

Result<std::unique_ptr<ClientStack>> ClientStack::Create(const ClientOptions& options,
                                                         Credentials credentials, Clock& clock) {
  return CreateWithTransport(options, std::move(credentials), clock,
                             std::make_unique<CurlTransport>(options.transport));
}

Result<std::unique_ptr<ClientStack>> ClientStack::CreateWithTransport(
    const ClientOptions& options, Credentials credentials, Clock& clock,
    std::unique_ptr<HttpTransport> transport) {
  Result<EndpointResolver> endpoints =
      EndpointResolver::Create(options.endpoint, options.region_hosts);
  if (!endpoints.ok()) return endpoints.error();

  auto stack = std::make_unique<ClientStack>(Key());
  stack->endpoints_ = std::make_unique<EndpointResolver>(std::move(endpoints.value()));
  stack->transport_ = std::move(transport);
  if (options.verbose_sink) {
    std::vector<std::string> secrets = {credentials.secret_key()};
    if (!credentials.token().empty()) secrets.push_back(credentials.token());
    stack->log_ = std::make_unique<ApiLog>(options.verbose_sink, std::move(secrets));
  }
  stack->signed_ = std::make_unique<SignedApiClient>(
      *stack->transport_, *stack->endpoints_, std::move(credentials), clock, stack->log_.get());
  stack->throttle_ = std::make_unique<ThrottleCaller>(*stack->signed_, clock, options.throttle);
  stack->retrying_ =
      std::make_unique<RetryingCaller>(*stack->throttle_, clock, options.retry, options.jitter);
  return stack;
}

}  // namespace spotform
