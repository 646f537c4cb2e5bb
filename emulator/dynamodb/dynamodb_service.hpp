#pragma once
// lambdalab's DynamoDB: the DynamoDB JSON protocol (POST /, X-Amz-Target: DynamoDB_20120810.<Op>)
// on its own port (8000 by default, like DynamoDB Local), stored in SQLite. It runs on its own
// thread and event loop, so SQLite work never stalls the Lambda API, and answers after a simulated
// latency, waited on a timer rather than by blocking the thread.
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <thread>

#include "dynamodb/latency.hpp"
#include "dynamodb/operations.hpp"
#include "dynamodb/table_store.hpp"
#include "net/http_server.hpp"

namespace lambdalab::dynamodb {

struct DynamoDbServiceOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8000;  // 0: a free port
    // When `port` is taken, listen on a free port instead of failing (for the default port only:
    // a port the user asked for must be that port).
    bool fall_back_to_free_port = false;
    std::filesystem::path database = "dynamodb.db";
    Latency latency;
    std::string region = "us-east-1";
    std::string account_id = "123456789012";
};

class DynamoDbService {
  public:
    // Opens the database, binds the port and starts serving. Throws when either fails.
    explicit DynamoDbService(DynamoDbServiceOptions options);
    ~DynamoDbService();
    DynamoDbService(const DynamoDbService&) = delete;
    DynamoDbService& operator=(const DynamoDbService&) = delete;

    std::uint16_t port() const { return port_; }
    const DynamoDbServiceOptions& options() const { return options_; }
    // Stops accepting, closes connections and joins the thread. Idempotent; not from the service's own
    // thread.
    void stop();

  private:
    void handle(net::Request&& request, net::Responder responder);
    net::Response answer(const net::Request& request);

    DynamoDbServiceOptions options_;
    boost::asio::io_context io_{1};
    TableStore store_;
    Operations operations_;
    std::unique_ptr<net::HttpServer> server_;
    std::uint16_t port_ = 0;
    std::mt19937_64 random_{std::random_device{}()};
    std::thread thread_;
};

}  // namespace lambdalab::dynamodb
