// numpy <-> std::vector conversions shared by the binding files.
#pragma once

#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace pineal::bindings {

namespace nb = nanobind;

template <class T>
using Array1 = nb::ndarray<const T, nb::ndim<1>, nb::c_contig, nb::device::cpu>;

// Hands a vector to numpy without a copy; numpy owns it from then on.
template <class T>
nb::ndarray<nb::numpy, T> to_numpy(std::vector<T>&& v, std::vector<std::size_t> shape = {}) {
    auto* owned = new std::vector<T>(std::move(v));
    nb::capsule owner(owned, [](void* p) noexcept { delete static_cast<std::vector<T>*>(p); });
    if (shape.empty()) shape = {owned->size()};
    return nb::ndarray<nb::numpy, T>(owned->data(), shape.size(), shape.data(), owner);
}

template <class T>
std::vector<T> to_vector(const Array1<T>& a) {
    return std::vector<T>(a.data(), a.data() + a.shape(0));
}

inline std::optional<std::span<const std::uint32_t>> cell_span(
    const std::optional<Array1<std::uint32_t>>& cells) {
    if (!cells) return std::nullopt;
    return std::span<const std::uint32_t>(cells->data(), cells->shape(0));
}

}  // namespace pineal::bindings
