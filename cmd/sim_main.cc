// spotform-sim: placeholder until the emulator server lands.
int main() { return 0; }
