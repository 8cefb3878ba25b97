#include "providers/sim/sim_server.h"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <iostream>
#include <utility>

namespace spotform::sim {
namespace {

HttpRequest ToHttpRequest(const httplib::Request& req) {
  HttpRequest out;
  out.method = req.method;
  out.path = req.path;
  for (const auto& [key, value] : req.params) {
    if (!out.query.empty()) out.query += '&';
    out.query += key + "=" + value;
  }
  for (const auto& [name, value] : req.headers) {
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    out.headers.emplace(std::move(lower), value);  // the first of repeated headers wins
  }
  out.body = req.body;
  return out;
}

// Moves the body: a DescribeInstances reply can be hundreds of kilobytes.
void Send(HttpResponse response, httplib::Response& res) {
  res.status = response.status;
  res.body = std::move(response.body);
  res.set_header("Content-Type", response.content_type);
}

}  // namespace

Result<std::unique_ptr<SimServer>> SimServer::Create(SimServerOptions options, CloudModel& model,
                                                     Clock& clock) {
  if (!IsLoopbackHost(options.host)) {
    return Error(ErrorKind::kInvalidInput,
                 "spotform-sim: refusing to listen on " + options.host +
                     ": only loopback addresses (127.0.0.1, localhost, ::1) are allowed");
  }
  if (options.credentials.empty()) {
    return Error(ErrorKind::kInvalidInput, "spotform-sim: no credentials configured");
  }
  Result<RequestSchema> schema = RequestSchema::Embedded();
  if (!schema.ok()) return schema.error();
  return std::make_unique<SimServer>(std::move(options), std::move(schema).value(), model, clock);
}

SimServer::SimServer(SimServerOptions options, RequestSchema schema, CloudModel& model,
                     Clock& clock)
    : options_(std::move(options)),
      schema_(std::move(schema)),
      model_(model),
      clock_(clock),
      auth_(options_.credentials, clock_),
      limiter_(clock_, options_.rate_limit),
      gateway_(schema_, auth_, limiter_, faults_, log_, model_, clock_),
      control_(model_, log_, faults_, limiter_),
      http_(std::make_unique<httplib::Server>()) {
  Route();
}

SimServer::~SimServer() { Stop(); }

bool SimServer::IsLoopbackHost(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

void SimServer::Route() {
  const int threads = std::max(1, options_.threads);
  // cpp-httplib owns the queue it is handed and deletes it on shutdown.
  http_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http_->set_keep_alive_max_count(100000);
  http_->set_payload_max_length(2 * ApiGateway::kMaxBodyBytes);  // larger: HTTP 413
  http_->set_tcp_nodelay(true);

  auto api = [this](const httplib::Request& req, httplib::Response& res) {
    const HttpRequest request = ToHttpRequest(req);
    HttpResponse response = gateway_.Handle(request);
    if (options_.verbose) {
      const auto action = request.headers.find("x-tc-action");
      std::cerr << "spotform-sim: " << req.method << " " << req.path << " "
                << (action == request.headers.end() ? "-" : action->second) << " -> "
                << response.status << "\n";
    }
    Send(std::move(response), res);
  };
  auto control = [this](const httplib::Request& req, httplib::Response& res) {
    if (!IsLoopbackHost(req.remote_addr) && req.remote_addr.rfind("::ffff:127.", 0) != 0) {
      Send(HttpResponse{403, R"({"error":"the control API is for loopback clients only"})"}, res);
      return;
    }
    Send(control_.Handle(ToHttpRequest(req)), res);
  };
  http_->Post("/", api);
  http_->Get("/", api);
  http_->Get(R"(/_sim/.*)", control);
  http_->Post(R"(/_sim/.*)", control);
}

Result<int> SimServer::Start() {
  if (!IsLoopbackHost(options_.host)) {
    return Error(ErrorKind::kInvalidInput, "spotform-sim: refusing a non-loopback address");
  }
  int port = options_.port;
  if (port == 0) {
    port = http_->bind_to_any_port(options_.host);
  } else if (!http_->bind_to_port(options_.host, port)) {
    port = -1;
  }
  if (port <= 0) {
    return Error(ErrorKind::kInvalidInput, "spotform-sim: cannot listen on " + options_.host + ":" +
                                               std::to_string(options_.port));
  }
  listen_thread_ = std::thread([this] {
    http_->listen_after_bind();
    listen_done_ = true;
  });
  // stop() is a no-op until the accept loop runs, so wait for it before returning.
  while (!http_->is_running() && !listen_done_) std::this_thread::yield();
  if (options_.tick_interval.count() > 0) tick_thread_ = std::thread([this] { TickLoop(); });
  return port;
}

void SimServer::TickLoop() {
  std::unique_lock<std::mutex> lock(stop_mutex_);
  while (!stopping_) {
    if (stop_cv_.wait_for(lock, options_.tick_interval, [this] { return stopping_; })) break;
    lock.unlock();
    model_.Tick();
    lock.lock();
  }
}

void SimServer::Stop() {
  {
    std::lock_guard<std::mutex> lock(stop_mutex_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (tick_thread_.joinable()) tick_thread_.join();
  http_->stop();
  if (listen_thread_.joinable()) listen_thread_.join();
}

}  // namespace spotform::sim
