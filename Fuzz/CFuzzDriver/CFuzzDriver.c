// The declaration in include/CFuzzDriver.h is the whole target; SwiftPM wants a source file.
#include "CFuzzDriver.h"
