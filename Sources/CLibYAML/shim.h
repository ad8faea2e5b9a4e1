#ifndef BERTH_CLIBYAML_SHIM_H
#define BERTH_CLIBYAML_SHIM_H
#include <yaml.h>
#endif
