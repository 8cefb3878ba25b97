// Placeholder: replaced by the cloud model implementation.
#include "providers/sim/cloud_model.h"
