"""Input: finding the files, what each one is, bytes to text, and the catalogues that date them."""
