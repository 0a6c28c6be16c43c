from generator.quick import main

main()
