#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "engine/model/result.h"

namespace spotform {

// Runs task(0) .. task(count - 1) on at most `max_parallel` threads and returns their results
// in index order, or the error of the lowest-numbered task that failed. Once a task fails, no
// new task starts (those already running finish). With max_parallel <= 1 or a single task,
// everything runs on the calling thread. The task must be safe to call from several threads.
template <typename T>
Result<std::vector<T>> ParallelMap(size_t count, size_t max_parallel,
                                   const std::function<Result<T>(size_t)>& task) {
  std::vector<std::optional<Result<T>>> slots(count);
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  auto work = [&] {
    while (!failed.load()) {
      size_t index = next.fetch_add(1);
      if (index >= count) return;
      slots[index].emplace(task(index));
      if (!slots[index]->ok()) failed.store(true);
    }
  };
  size_t workers = std::min(count, max_parallel);
  if (workers <= 1) {
    work();
  } else {
    std::vector<std::jthread> threads;
    threads.reserve(workers);
    for (size_t i = 0; i < workers; ++i) threads.emplace_back(work);
  }  // the jthreads join here
  std::vector<T> results;
  results.reserve(count);
  for (auto& slot : slots) {
    if (slot.has_value() && !slot->ok()) return slot->error();
  }
  for (auto& slot : slots) results.push_back(std::move(*slot).value());
  return results;
}

// One page of a list call: its items and the cloud's TotalCount.
template <typename T>
struct Page {
  std::vector<T> items;
  int64_t total_count = 0;
};

// Fetches every page of a list call: offset 0 first (to learn TotalCount), then the remaining
// offsets `max_parallel` at a time, until the largest TotalCount seen is covered. Items come
// back in offset order; a list that changes while it is paged may repeat or skip items, so
// callers that care deduplicate.
//
// A TotalCount above kMaxListTotalCount is refused as a corrupt reply (kTransport,
// ClientError.BadResponse): paging it would allocate without bound, or overflow.
inline constexpr int64_t kMaxListTotalCount = 10'000'000;

inline Error ImplausibleTotalCount(int64_t total) {
  return Error(ErrorKind::kTransport,
               "the reply's TotalCount " + std::to_string(total) + " is more than any list holds (" +
                   std::to_string(kMaxListTotalCount) + "): the reply is corrupt",
               "ClientError.BadResponse");
}

template <typename T>
Result<std::vector<T>> FetchAllPages(int64_t page_size, size_t max_parallel,
                                     const std::function<Result<Page<T>>(int64_t)>& fetch) {
  Result<Page<T>> first = fetch(0);
  if (!first.ok()) return first.error();
  if (first->total_count > kMaxListTotalCount) return ImplausibleTotalCount(first->total_count);
  std::vector<T> items = std::move(first->items);
  int64_t total = first->total_count;
  int64_t next_offset = page_size;
  while (next_offset < total) {
    const int64_t base = next_offset;
    const size_t pages = static_cast<size_t>((total - base + page_size - 1) / page_size);
    Result<std::vector<Page<T>>> fetched = ParallelMap<Page<T>>(pages, max_parallel, [&](size_t i) {
      return fetch(base + static_cast<int64_t>(i) * page_size);
    });
    if (!fetched.ok()) return fetched.error();
    next_offset = base + static_cast<int64_t>(pages) * page_size;
    for (Page<T>& page : *fetched) {
      if (page.total_count > kMaxListTotalCount) return ImplausibleTotalCount(page.total_count);
      total = std::max(total, page.total_count);
      for (T& item : page.items) items.push_back(std::move(item));
    }
  }
  return items;
}

}  // namespace spotform
