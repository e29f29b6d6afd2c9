"""UI: the Streamlit pieces of the members' page and the officers' page, apart from the core."""
