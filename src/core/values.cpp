#include "pineal/values.hpp"

#include "pineal/errors.hpp"

namespace pineal {

std::vector<double> Value::expand(std::size_t n, const char* what,
                                  std::uint64_t first_entity) const {
    if (is_scalar()) return std::vector<double>(n, scalar());
    if (is_array()) {
        if (array().size() != n)
            fail(ErrorKind::invalid_dimensions, what, "", what, ": expected ", n,
                 " values (one per element), got ", array().size());
        return array();
    }
    std::vector<double> out(n);
    draw_per_entity(random().distribution, random().key, first_entity, n, out.data());
    return out;
}

}  // namespace pineal
