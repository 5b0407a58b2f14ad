#include "cli.hpp"

int main(int argc, char** argv) { return vigil::cli::Main(argc, argv); }
